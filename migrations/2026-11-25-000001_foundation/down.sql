DROP TABLE actor_follows;
DROP TABLE oauth_tokens;
DROP TABLE oauth_clients;
DROP TABLE video_channels;
DROP TABLE accounts;
DROP TABLE users;
DROP TABLE actors;
DROP TABLE servers;
