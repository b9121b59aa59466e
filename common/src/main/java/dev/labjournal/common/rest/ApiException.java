package dev.labjournal.common.rest;

import jakarta.ws.rs.core.Response.Status;

/** A request error with a stable code, rendered as {@code {"error": {"code", "message", "details"}}}. */
public class ApiException extends RuntimeException {

    private final Status status;
    private final String code;
    private final transient Object details;

    public ApiException(Status status, String code, String message, Object details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public static ApiException badRequest(String code, String message, Object details) {
        return new ApiException(Status.BAD_REQUEST, code, message, details);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED, "unauthenticated", message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(Status.FORBIDDEN, "forbidden", message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND, "not_found", message, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(Status.CONFLICT, "conflict", message, null);
    }

    /** A dependency of the request is down for now: the client may try again later. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(Status.SERVICE_UNAVAILABLE, code, message, null);
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Object details() {
        return details;
    }
}
