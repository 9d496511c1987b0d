package io.taskmesh.account;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.taskmesh.web.ApiException;
import io.taskmesh.web.JsonInput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;

/** Sign-up, log-in, log-out and the caller's own account. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Account")
class AccountController {

    private final Users users;
    private final PasswordEncoder passwords;
    private final Authenticator authenticator;
    private final SessionLogin sessions;

    AccountController(Users users, PasswordEncoder passwords, Authenticator authenticator, SessionLogin sessions) {
        this.users = users;
        this.passwords = passwords;
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    /** Request body of sign-up (documentation of the JSON that is read strictly). */
    record SignupRequest(String email, String password, String displayName) {
    }

    /** Request body of log-in. */
    record LoginRequest(String email, String password) {
    }

    @PostMapping("/auth/signup")
    @Operation(summary = "Create an account and log in",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = SignupRequest.class))))
    ResponseEntity<UserView> signup(@RequestBody JsonNode body, HttpServletRequest request,
            HttpServletResponse response) {
        JsonInput input = JsonInput.of(body);
        Credentials credentials = Credentials.readNew(input);
        String displayName = input.string("displayName", 100).map(String::strip).orElse("");
        input.validate();
        if (displayName.isEmpty()) {
            String email = credentials.email().trim();
            displayName = email.substring(0, email.indexOf('@'));
        }
        UserDocument user = users.create(credentials.email(), displayName, passwords.encode(credentials.password()));
        sessions.start(request, response, user.id());
        return ResponseEntity.created(URI.create("/api/v1/me")).body(UserView.of(user));
    }

    @PostMapping("/auth/login")
    @Operation(summary = "Log in with e-mail and password; sets the session cookie",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = LoginRequest.class))))
    UserView login(@RequestBody JsonNode body, HttpServletRequest request, HttpServletResponse response) {
        JsonInput input = JsonInput.of(body);
        Credentials credentials = Credentials.read(input);
        input.validate();
        UserDocument user = authenticator.authenticate(credentials, request.getRemoteAddr());
        sessions.start(request, response, user.id());
        return UserView.of(user);
    }

    @PostMapping("/auth/logout")
    @Operation(summary = "End the session")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        sessions.end(request);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    @Operation(summary = "The calling user")
    UserView me(@AuthenticationPrincipal AuthenticatedUser caller) {
        return users.findById(caller.id()).map(UserView::of)
                .orElseThrow(() -> ApiException.unauthorized("The account no longer exists"));
    }
}
