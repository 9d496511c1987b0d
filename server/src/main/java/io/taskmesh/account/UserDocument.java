package io.taskmesh.account;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A user account as stored; {@code email} is kept lower-cased so it is unique case-insensitively. */
@Document(Users.COLLECTION)
record UserDocument(@Id String id, String email, String displayName, String passwordHash, Instant createdAt) {
}
