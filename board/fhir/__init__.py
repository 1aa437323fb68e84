"""FHIR R4 in: contract facts read from codes (board.fhir.reading), never guessed."""
