// The authenticated peer transport lives here (issue 4).
