-- one database per service: each service owns its schema (Flyway migrates it at start)
CREATE DATABASE tanso_registry;
CREATE DATABASE tanso_issuance;
CREATE DATABASE tanso_audit;
