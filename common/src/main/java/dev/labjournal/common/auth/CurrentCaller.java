package dev.labjournal.common.auth;

import dev.labjournal.common.rest.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link ApiKeyAuthFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw ApiException.unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        }
        return caller;
    }
}
