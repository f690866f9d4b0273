// Readiness: when the Neo4j server process started (its JVM's start, epoch ms), so the app
// can tell a restarted server, whose plan cache is empty, from one it already warmed.
// params: none
// returns: started (integer)
// mode: read
CALL dbms.queryJmx('java.lang:type=Runtime') YIELD attributes
RETURN attributes.StartTime.value AS started
