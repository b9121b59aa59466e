package dev.labjournal.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error envelope of every endpoint. */
public final class ApiErrors {

    private ApiErrors() {}

    /** The JSON body: {@code {"error": {"code", "message", "details"}}}. */
    public record Body(Error error) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String code, String message, Object details) {}

    public static Response response(Response.StatusType status, String code, String message) {
        return response(status, code, message, null);
    }

    public static Response response(Response.StatusType status, String code, String message, Object details) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Body(new Error(code, message, details)))
                .build();
    }
}
