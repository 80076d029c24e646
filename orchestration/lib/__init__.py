"""Library code the definitions and the command-line tools share: the data contract and the raw loader,
publishing, the metrics layer, source verification, exports and the run's logging. Tested on its own."""
