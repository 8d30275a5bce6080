// The Tendermint state machine lives here (issue 3).
