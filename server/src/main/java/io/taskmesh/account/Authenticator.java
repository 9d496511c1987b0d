package io.taskmesh.account;

import java.time.Duration;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import io.taskmesh.web.ApiException;

/** Checks an e-mail and password under the log-in throttle. */
@Component
class Authenticator {

    private final Users users;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    /**
     * Compared against when the e-mail is unknown, so that both cases take as long. Made on first
     * use: hashing it at start-up cost the embedded mode about 0.4 s of its start.
     */
    private volatile String decoyHash;
    /** Serialises the check and the count of one account, so that simultaneous guesses cannot outrun the throttle. */
    private final Object[] accountLocks = new Object[64];

    Authenticator(Users users, PasswordEncoder passwords, LoginThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        java.util.Arrays.setAll(accountLocks, i -> new Object());
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            // Two first log-ins may both hash it; either result serves.
            hash = passwords.encode("decoy-password-for-timing");
            decoyHash = hash;
        }
        return hash;
    }

    UserDocument authenticate(Credentials credentials, String clientAddress) {
        String account = Users.normalizeEmail(credentials.email());
        synchronized (accountLocks[Math.floorMod(account.hashCode(), accountLocks.length)]) {
            return authenticate(account, credentials.password(), clientAddress);
        }
    }

    private UserDocument authenticate(String account, String password, String clientAddress) {
        throttle.waitBefore(account, clientAddress).ifPresent(wait -> {
            throw ApiException.tooManyRequests("Too many failed log-ins; try again later", seconds(wait));
        });
        var user = users.findDocumentByEmail(account);
        boolean matches = passwords.matches(password, user.map(UserDocument::passwordHash).orElseGet(this::decoyHash));
        if (user.isEmpty() || !matches) {
            throttle.failed(account, clientAddress);
            throw ApiException.unauthorized("The e-mail or password is incorrect");
        }
        throttle.succeeded(account);
        return user.get();
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
