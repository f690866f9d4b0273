// A sender's client_id identifies one message: a retried send can never store a second.
// params: none. returns: nothing.
// mode: schema
CREATE CONSTRAINT message_sender_client_unique IF NOT EXISTS
FOR (m:Message) REQUIRE (m.sender_id, m.client_id) IS UNIQUE
