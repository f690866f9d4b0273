// Names of the constraints in place (readiness: the schema has been applied).
// returns: name (string) per constraint.
// mode: read
SHOW CONSTRAINTS YIELD name RETURN name
