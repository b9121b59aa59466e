package dev.labjournal.query.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.common.tenancy.ApiKeyRepository;
import io.quarkus.test.InjectMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI's files at {@code /}: the page, its modules, uPlot and ECharts (unpacked from their webjars by the build), the page
 * under a Content-Security-Policy without inline scripts; the API's answers beside them unchanged.
 */
@QuarkusTest
class WebUiResourcesTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URI base;

    @InjectMock
    ApiKeyRepository keys;

    @BeforeEach
    void keys() {
        ApiKeys.stub(keys);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootIsTheUiPageUnderAContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/js/app.js\"></script>");
        assertThat(page.body()).contains("<a href=\"#/alerts\" id=\"nav-alerts\">Alerts</a>");
        assertThat(page.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains(
                                "default-src 'none'",
                                "script-src 'self'",
                                "connect-src 'self'",
                                "frame-ancestors 'none'")
                        .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    }

    @Test
    void theModulesUplotAndEchartsAreServedAsJavaScript() throws Exception {
        for (String path : new String[] {
            "/ui/js/app.js",
            "/ui/js/search.js",
            "/ui/js/run.js",
            "/ui/js/selection.js",
            "/ui/js/compare.js",
            "/ui/js/compare-series.js",
            "/ui/js/compare-chart.js",
            "/ui/js/parallel.js",
            "/ui/js/failures.js",
            "/ui/js/alerts.js",
            "/ui/js/rule-form.js",
            "/ui/js/alerts-api.js",
            "/ui/js/sse.js",
            "/ui/vendor/uplot/uPlot.esm.js",
            "/ui/vendor/echarts/echarts.esm.min.js"
        }) {
            HttpResponse<String> module = get(path);
            assertThat(module.statusCode()).as(path).isEqualTo(200);
            assertThat(module.headers().firstValue("content-type"))
                    .as(path)
                    .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        }
        assertThat(get("/ui/vendor/uplot/uPlot.esm.js").body()).contains("export { uPlot as default }");
        assertThat(get("/ui/vendor/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
        assertThat(get("/ui/vendor/echarts/echarts.esm.min.js").body())
                .as("ECharts' ES module, unpacked from its webjar by the build")
                .contains("as init,");
        assertThat(get("/ui/vendor/echarts/LICENSE").statusCode()).isEqualTo(200);
    }

    @Test
    void theApiAnswersAsBeforeBesideTheUi() throws Exception {
        Http.Reply unauthenticated = Http.get(base, "/api/v1/runs/search", null);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.errorCode()).isEqualTo("unauthenticated");

        Http.Reply unknownPath = Http.get(base, "/api/v1/no-such-resource", ApiKeys.READER);
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.errorCode()).isEqualTo("not_found");
        assertThat(get("/api/v1/no-such-resource").headers().firstValue("content-security-policy"))
                .as("the policy is the UI's, not the API's")
                .isEmpty();
    }
}
