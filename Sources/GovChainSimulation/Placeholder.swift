// The deterministic simulator lives here (issue 3).
