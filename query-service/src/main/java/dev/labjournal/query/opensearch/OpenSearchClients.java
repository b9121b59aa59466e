package dev.labjournal.query.opensearch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URISyntaxException;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/** The OpenSearch client (Apache HttpClient 5 transport), one per application. */
@ApplicationScoped
public class OpenSearchClients {

    @Produces
    @Singleton
    OpenSearchAsyncClient client(SearchConfig config) {
        try {
            OpenSearchTransport transport = ApacheHttpClient5TransportBuilder.builder(HttpHost.create(config.url()))
                    .setMapper(new JacksonJsonpMapper())
                    .build();
            return new OpenSearchAsyncClient(transport);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("labjournal.search.url is not a URL: " + config.url(), e);
        }
    }

    void close(@Disposes OpenSearchAsyncClient client) throws IOException {
        client._transport().close();
    }
}
