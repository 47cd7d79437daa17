"""/api/v1/sessions/: joint sessions over the API, with the pages' rules
(``joint_sessions.policies``) and the pages' services."""
