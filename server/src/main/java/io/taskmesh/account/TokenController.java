package io.taskmesh.account;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.taskmesh.web.ApiException;
import io.taskmesh.web.JsonInput;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/** Personal access tokens for programs (sent as {@code Authorization: Bearer <token>}). */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Account")
class TokenController {

    private final AccessTokens tokens;
    private final Authenticator authenticator;

    TokenController(AccessTokens tokens, Authenticator authenticator) {
        this.tokens = tokens;
        this.authenticator = authenticator;
    }

    record CreateTokenRequest(String email, String password, String name) {
    }

    /** A token as listed: never its secret. */
    record TokenView(String id, String name, Instant createdAt) {
    }

    /** A token just issued, with the secret shown this once. */
    record IssuedToken(String id, String name, String token, Instant createdAt) {
    }

    @PostMapping("/auth/tokens")
    @Operation(summary = "Issue a personal access token (the secret is shown once)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = CreateTokenRequest.class))))
    ResponseEntity<IssuedToken> create(@RequestBody JsonNode body, HttpServletRequest request) {
        JsonInput input = JsonInput.of(body);
        Credentials credentials = Credentials.read(input);
        String name = input.requiredString("name", 100).map(String::strip).orElse(null);
        if (name != null && name.isEmpty()) {
            input.addError("name", "must not be blank");
        }
        input.validate();
        UserDocument user = authenticator.authenticate(credentials, request.getRemoteAddr());
        AccessTokens.Issued issued = tokens.issue(user.id(), name);
        return ResponseEntity.created(URI.create("/api/v1/me/tokens/" + issued.token().id()))
                .body(new IssuedToken(issued.token().id(), name, issued.secret(), issued.token().createdAt()));
    }

    @GetMapping("/me/tokens")
    @Operation(summary = "The caller's tokens (without secrets)")
    List<TokenView> list(@AuthenticationPrincipal AuthenticatedUser caller) {
        return tokens.of(caller.id()).stream()
                .map(t -> new TokenView(t.id(), t.name(), t.createdAt()))
                .toList();
    }

    @DeleteMapping("/me/tokens/{tokenId}")
    @Operation(summary = "Revoke a token")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable String tokenId) {
        if (!tokens.revoke(caller.id(), tokenId)) {
            throw ApiException.notFound("Token " + tokenId);
        }
        return ResponseEntity.noContent().build();
    }
}
