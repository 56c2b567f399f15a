//! KQL front end: lexer, lossless parser and name resolver. Knows nothing about Sentinel specs.
