package dev.labjournal.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to the error envelope, so no client ever sees a stack trace or an HTML page. */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return ApiErrors.response(e.status(), e.code(), e.getMessage(), e.details());
    }

    @ServerExceptionMapper
    public Response malformedBody(JsonProcessingException e) {
        return ApiErrors.response(
                Response.Status.BAD_REQUEST,
                "malformed_json",
                "request body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String code = status.getReasonPhrase().toLowerCase().replace(' ', '_');
        return ApiErrors.response(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error while serving a request", e);
        return ApiErrors.response(
                Response.Status.INTERNAL_SERVER_ERROR, "internal", "internal error; the server log has the details");
    }
}
