package io.taskmesh.account;

import java.util.regex.Pattern;

import io.taskmesh.web.JsonInput;

/** Reads and checks the e-mail and password fields that sign-up, log-in and token creation share. */
record Credentials(String email, String password) {

    static final int MIN_PASSWORD = 8;
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$");

    /** For log-in: any non-empty values (a wrong shape is just a failed log-in). */
    static Credentials read(JsonInput input) {
        String email = input.requiredString("email", 254).orElse("");
        String password = input.requiredString("password", 1024).orElse("");
        return new Credentials(email, password);
    }

    /** For sign-up: a plausible address and a password long enough. */
    static Credentials readNew(JsonInput input) {
        Credentials credentials = read(input);
        if (input.has("email") && !EMAIL.matcher(credentials.email().trim()).matches()) {
            input.addError("email", "must be an e-mail address");
        }
        if (input.has("password") && credentials.password().codePointCount(0, credentials.password().length()) < MIN_PASSWORD) {
            input.addError("password", "must be at least " + MIN_PASSWORD + " characters");
        }
        return credentials;
    }
}
