package io.taskmesh.account;

import org.springframework.stereotype.Component;

/** Gives the security configuration the bearer filter without exposing the token store. */
@Component
public class BearerTokenFilterFactory {

    private final AccessTokens tokens;

    BearerTokenFilterFactory(AccessTokens tokens) {
        this.tokens = tokens;
    }

    public BearerTokenFilter create() {
        return new BearerTokenFilter(tokens);
    }
}
