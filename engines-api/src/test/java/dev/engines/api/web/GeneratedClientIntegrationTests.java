package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.client.ApiClient;
import dev.engines.client.ApiException;
import dev.engines.client.api.ApiKeysApi;
import dev.engines.client.api.AssetsApi;
import dev.engines.client.api.AtomsApi;
import dev.engines.client.api.EventsApi;
import dev.engines.client.model.Atom;
import dev.engines.client.model.CreateKey;
import dev.engines.client.model.DerivationView;
import dev.engines.client.model.DeriveBody;
import dev.engines.client.model.Env;
import dev.engines.client.model.EventView;
import dev.engines.client.model.IssuedKeyView;
import dev.engines.client.model.KeyView;
import dev.engines.client.model.RawAsset;
import dev.engines.client.model.Ref;
import dev.engines.client.model.Role;
import dev.engines.core.ids.Ids;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Java client generated at build time from the committed OpenAPI document (which
 * OpenApiDocumentIntegrationTests holds equal to {@code /v3/api-docs}) drives the API: it creates a
 * key, uploads an asset, derives atoms and reads the derivation's event. The server refuses unknown
 * fields and the client here refuses unknown ones too, so every name the document gives must be the
 * wire's. Regression: the document described camelCase properties, and such a client broke.
 */
class GeneratedClientIntegrationTests extends IntegrationTest {

  private static final String TEXT = "first line\nsecond line\n";

  @TempDir Path dir;

  @Test
  void generatedClientWhenUsedThenCreatesAKeyUploadsDerivesAndReadsTheEvent() throws Exception {
    Member owner = tenants.nexusTenant("genclient");
    String tenant = owner.tenantId();

    IssuedKeyView issued =
        new ApiKeysApi(client(owner.token(), b -> {}))
            .createApiKey(
                ApiKeysApi.APICreateApiKeyRequest.newBuilder()
                    .xTenantId(tenant)
                    .xEnv("dev")
                    .createKey(
                        new CreateKey()
                            .kind(CreateKey.KindEnum.SERVICE)
                            .name("generated client")
                            .role(Role.MEMBER)
                            .envs(List.of(Env.DEV))
                            .actOnBehalf(false))
                    .build());
    assertThat(issued.getToken()).startsWith("eng_");
    assertThat(issued.getKey().getKind()).isEqualTo(KeyView.KindEnum.SERVICE);
    assertThat(issued.getKey().getRole()).isEqualTo(Role.MEMBER);
    assertThat(issued.getKey().getEnvs()).containsExactly(Env.DEV);
    String token = issued.getToken();

    Path file = Files.writeString(dir.resolve("notes.txt"), TEXT);
    RawAsset asset =
        new AssetsApi(client(token, rawBody(file)))
            .uploadAsset(
                AssetsApi.APIUploadAssetRequest.newBuilder()
                    .xTenantId(tenant)
                    .xEnv("dev")
                    .filename("notes.txt")
                    .body(file.toFile())
                    .trainOk(true)
                    .build());
    assertThat(asset.getAssetId()).isNotBlank();
    assertThat(asset.getSizeBytes()).isEqualTo((long) TEXT.getBytes(StandardCharsets.UTF_8).length);
    assertThat(asset.getSha256()).isEqualTo(Ids.sha256Hex(TEXT));
    assertThat(asset.getTrainOk()).isTrue();

    ApiClient service = client(token, b -> {});
    String requestId = "req_genclient_" + Ids.randomToken(8);
    DerivationView run =
        new AssetsApi(service)
            .deriveAtoms(
                AssetsApi.APIDeriveAtomsRequest.newBuilder()
                    .assetId(asset.getAssetId())
                    .xTenantId(tenant)
                    .xEnv("dev")
                    .xRequestId(requestId)
                    .deriveBody(new DeriveBody().opType("text.lines"))
                    .build());
    assertThat(run.getAssetId()).isEqualTo(asset.getAssetId());
    assertThat(run.getOpType()).isEqualTo("text.lines");
    assertThat(run.getAtoms()).isEqualTo(2L);
    assertThat(run.getAdded()).isEqualTo(2L);

    List<Atom> atoms =
        new AtomsApi(service)
            .listAtoms(
                AtomsApi.APIListAtomsRequest.newBuilder()
                    .xTenantId(tenant)
                    .xEnv("dev")
                    .assetId(asset.getAssetId())
                    .build())
            .getItems();
    assertThat(atoms).extracting(Atom::getText).containsExactly("first line", "second line");
    assertThat(atoms)
        .allSatisfy(a -> assertThat(a.getDerivationId()).isEqualTo(run.getDerivationId()));

    List<EventView> events =
        new EventsApi(service)
            .listEvents(
                EventsApi.APIListEventsRequest.newBuilder()
                    .xTenantId(tenant)
                    .xEnv("dev")
                    .requestId(requestId)
                    .build())
            .getItems();
    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getAction()).isEqualTo("derivation.run");
              assertThat(event.getKind()).isEqualTo(EventView.KindEnum.WRITE);
              assertThat(event.getOutcome()).isEqualTo(EventView.OutcomeEnum.SUCCESS);
              assertThat(event.getEnv()).isEqualTo(Env.DEV);
              assertThat(event.getKeyId()).isEqualTo(issued.getKey().getKeyId());
              assertThat(event.getRequestId()).isEqualTo(requestId);
              assertThat(event.getOutputRefs())
                  .extracting(Ref::getId)
                  .contains(run.getDerivationId());
            });
  }

  @Test
  void generatedClientWhenTheServerRefusesThenReadsTheProblem() {
    Member owner = tenants.tenant("genclient");
    ApiKeysApi keys = new ApiKeysApi(client(owner.token(), b -> {}));
    assertThatThrownBy(
            () ->
                keys.createApiKey(
                    ApiKeysApi.APICreateApiKeyRequest.newBuilder()
                        .xTenantId(owner.tenantId())
                        .xEnv("dev")
                        .createKey(new CreateKey().kind(CreateKey.KindEnum.SERVICE).name(" "))
                        .build()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody())
                  .contains("\"code\":\"validation_failed\"")
                  .contains("\"field\":\"name\"");
            });
  }

  /**
   * A client of the running service whose requests carry {@code token}; it refuses unknown response
   * fields.
   */
  private ApiClient client(String token, Consumer<HttpRequest.Builder> also) {
    ApiClient client = new ApiClient();
    client.updateBaseUri("http://127.0.0.1:" + api.port());
    client.setObjectMapper(
        ((JsonMapper) ApiClient.createDefaultObjectMapper())
            .rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build());
    client.setRequestInterceptor(
        builder -> {
          builder.header("Authorization", "Bearer " + token);
          also.accept(builder);
        });
    return client;
  }

  /**
   * Sends the file's bytes as the body. The generator's {@code native} library serialises a binary
   * ({@code format: binary}) body with its JSON mapper, which writes a file's path; the document is
   * right and every other part of the request (path, query, headers, response) is the generated
   * code.
   */
  private static Consumer<HttpRequest.Builder> rawBody(Path file) {
    return builder -> {
      try {
        builder.POST(HttpRequest.BodyPublishers.ofFile(file));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
