"""Security screens: users, audit log, retention, encryption and backups, passwords."""
