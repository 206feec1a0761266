package dev.engines.api.nexus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.nexus.NexusSlots;
import dev.engines.nexus.StorageLocation;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.PutOptions;
import dev.engines.storage.RawStore;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Raw assets and atoms through the real API on the filesystem backend, with injected faults. */
class NexusIntegrationTests extends IntegrationTest {

  private static final String TEXT = "alpha line\nmail ana.lopez@example.com today\n\ngamma line\n";

  @Autowired NexusSlots slots;

  NexusFixtures nexus;

  @BeforeEach
  void fixtures() {
    nexus = new NexusFixtures(api);
  }

  @Test
  void uploadWhenStreamedThenMetadataListAndContentReadAndContentReadIsLedgered() {
    Member owner = tenants.nexusTenant("nxup");
    TestApi.Response up =
        api.post("/v1/assets?filename=report.txt&captured_at=2026-01-02T03:04:05Z&train_ok=true")
            .as(owner, "dev")
            .body(TEXT, "text/plain")
            .send();
    assertThat(up.status()).as("%s", up).isEqualTo(201);
    String assetId = up.text("asset_id");
    assertThat(assetId).matches(ObjectKey.ASSET_ID_PATTERN);
    assertThat(up.text("sha256")).isEqualTo(Ids.sha256Hex(TEXT));
    assertThat(up.json().get("size_bytes").asLong())
        .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8).length);
    assertThat(up.text("object_key"))
        .isEqualTo("tenants/" + owner.tenantId() + "/dev/raw/" + assetId + "/report.txt");
    assertThat(up.text("captured_at")).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(up.text("status")).isEqualTo("active");

    TestApi.Response meta = api.get("/v1/assets/" + assetId).as(owner, "dev").send();
    assertThat(meta.status()).isEqualTo(200);
    assertThat(meta.body()).doesNotContain("ana.lopez");
    TestApi.Response list = api.get("/v1/assets").as(owner, "dev").send();
    assertThat(list.json().get("items").get(0).get("asset_id").asString()).isEqualTo(assetId);

    TestApi.Response content =
        api.get("/v1/assets/" + assetId + "/content")
            .as(owner, "dev")
            .header("X-Request-Id", "nx-read-1")
            .send();
    assertThat(content.status()).isEqualTo(200);
    assertThat(content.body()).isEqualTo(TEXT);
    assertThat(content.header("Content-Type")).startsWith("text/plain");
    assertThat(content.header("X-Content-Sha256")).isEqualTo(Ids.sha256Hex(TEXT));
    JsonNode event =
        api.get("/v1/events?request_id=nx-read-1")
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("action").asString()).isEqualTo("asset.read_content");
    assertThat(event.get("kind").asString()).isEqualTo("read");
    assertThat(event.get("input_refs").toString()).contains(assetId);
    assertThat(event.toString()).doesNotContain("ana.lopez");
  }

  @Test
  void deriveWhenRunTwiceThenIdempotentAndTextRedactedBeforeStorage() {
    Member owner = tenants.nexusTenant("nxder");
    String assetId =
        api.post("/v1/assets?filename=a.txt&train_ok=true")
            .as(owner, "dev")
            .body(TEXT, "text/plain")
            .send()
            .text("asset_id");

    TestApi.Response first = nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    assertThat(first.status()).as("%s", first).isEqualTo(200);
    assertThat(first.json().get("atoms").asLong()).isEqualTo(3);
    assertThat(first.json().get("added").asLong()).isEqualTo(3);
    assertThat(first.json().get("skipped").asLong()).isZero();
    assertThat(first.json().get("params").get("skip_blank").asBoolean()).isTrue();
    TestApi.Response second =
        nexus.derive(owner, "dev", assetId, "text.lines", Map.of("skip_blank", true));
    assertThat(second.json().get("added").asLong()).isZero();
    assertThat(second.json().get("skipped").asLong()).isEqualTo(3);
    assertThat(second.text("derivation_id")).isEqualTo(first.text("derivation_id"));

    JsonNode atoms =
        api.get("/v1/atoms?asset_id=" + assetId).as(owner, "dev").send().json().get("items");
    assertThat(atoms).hasSize(3);
    JsonNode mail = atoms.get(1);
    assertThat(mail.get("text").asString()).doesNotContain("ana.lopez").contains("<EMAIL_ADDRESS>");
    assertThat(mail.get("pii_flags").get("EMAIL_ADDRESS").asInt()).isEqualTo(1);
    assertThat(mail.get("train_ok").asBoolean()).isFalse();
    assertThat(mail.get("span").get("line").asLong()).isEqualTo(2);
    assertThat(atoms.get(0).get("train_ok").asBoolean())
        .as("clean atom inherits the asset's train_ok")
        .isTrue();
    assertThat(mail.get("text_sha256").asString())
        .isEqualTo(Ids.sha256Hex(mail.get("text").asString()));
    Integer stored =
        tx.read(
            Caller.system(Scope.of(owner.tenantId(), "dev"), "test"),
            () ->
                jdbc.sql("SELECT count(*) FROM atoms WHERE text LIKE '%ana.lopez%'")
                    .query(Integer.class)
                    .single());
    assertThat(stored).isZero();

    String other =
        api.post("/v1/assets?filename=b.txt")
            .as(owner, "dev")
            .body("x\n", "text/plain")
            .send()
            .text("asset_id");
    nexus.derive(owner, "dev", other, "text.lines", Map.of());
    JsonNode untrusted =
        api.get("/v1/atoms?asset_id=" + other).as(owner, "dev").send().json().get("items").get(0);
    assertThat(untrusted.get("train_ok").asBoolean())
        .as("asset without train_ok taints its atoms")
        .isFalse();
  }

  @Test
  void derivationAndAtomReadsWhenLedgeredThenEventFlagsDescribeTheAtomsReadOrWritten() {
    // Guards against policy_version summed like a count (3 for three atoms at policy 1), train_ok
    // true over atoms that are all train_ok false, and list/lineage reads naming nothing returned.
    Member owner = tenants.nexusTenant("nxflag");
    String clean = nexus.asset(owner, "dev", "one\ntwo\nthree\n");
    TestApi.Response run =
        api.post("/v1/assets/" + clean + "/derivations")
            .as(owner, "dev")
            .header("X-Request-Id", "flag-run")
            .json(Map.of("op_type", "text.lines", "params", Map.of()))
            .send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    JsonNode derive = event(owner, "flag-run");
    assertThat(derive.get("pii_flags").get("policy_version").asInt()).isEqualTo(1);
    assertThat(derive.get("train_ok").asBoolean())
        .as("the asset was uploaded without train_ok: every atom is false")
        .isFalse();

    String mailed = nexus.asset(owner, "dev", "a@one.example\nb@two.example\nplain\n");
    assertThat(nexus.derive(owner, "dev", mailed, "text.lines", Map.of()).status()).isEqualTo(200);
    TestApi.Response atoms =
        api.get("/v1/atoms?asset_id=" + mailed)
            .as(owner, "dev")
            .header("X-Request-Id", "flag-list")
            .send();
    assertThat(atoms.json().get("items").size()).isEqualTo(3);
    JsonNode list = event(owner, "flag-list");
    assertThat(list.get("pii_flags").get("policy_version").asInt()).isEqualTo(1);
    assertThat(list.get("pii_flags").get("EMAIL_ADDRESS").asInt()).isEqualTo(2);
    assertThat(list.get("train_ok").asBoolean()).isFalse();
    List<String> listed = new ArrayList<>();
    atoms
        .json()
        .get("items")
        .forEach(
            a -> listed.add("{\"type\":\"atom\",\"id\":\"" + a.get("atom_id").asString() + "\"}"));
    assertThat(list.get("output_refs").toString()).contains(listed);

    String atomId = atoms.json().get("items").get(2).get("atom_id").asString();
    assertThat(atoms.json().get("items").get(2).get("train_ok").asBoolean()).isFalse();
    api.get("/v1/atoms/" + atomId).as(owner, "dev").header("X-Request-Id", "flag-get").send();
    JsonNode get = event(owner, "flag-get");
    assertThat(get.get("train_ok").asBoolean()).as("a train_ok:false atom read").isFalse();
    assertThat(get.get("output_refs").toString()).contains(atomId);
    api.get("/v1/atoms/" + atomId + "/lineage")
        .as(owner, "dev")
        .header("X-Request-Id", "flag-lineage")
        .send();
    JsonNode lineage = event(owner, "flag-lineage");
    assertThat(lineage.get("output_refs").toString())
        .contains(atomId)
        .contains(mailed)
        .contains("\"derivation\"");
    assertThat(lineage.get("train_ok").asBoolean()).isFalse();
  }

  private JsonNode event(Member reader, String requestId) {
    JsonNode items =
        api.get("/v1/events?request_id=" + requestId).as(reader, "dev").send().json().get("items");
    assertThat(items.size()).as(requestId).isEqualTo(1);
    return items.get(0);
  }

  @Test
  void atomsWhenListedThenStableOrderCursorFiltersAndWhyFromMetadata() {
    Member owner = tenants.nexusTenant("nxlist");
    String assetId = nexus.asset(owner, "dev", "one\ntwo\nthree\nfour\nfive\n");
    nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    nexus.derive(owner, "dev", assetId, "text.window", Map.of("size", 4));
    List<String> texts = new ArrayList<>();
    String cursor = "";
    do {
      JsonNode page =
          api.get("/v1/atoms?op_type=text.lines&limit=2" + cursor).as(owner, "dev").send().json();
      assertThat(page.get("order").asString())
          .isEqualTo("asset_id, op_type, op_version, params_hash, ordinal");
      assertThat(page.get("filter").get("op_type").asString()).isEqualTo("text.lines");
      page.get("items").forEach(a -> texts.add(a.get("text").asString()));
      cursor =
          page.get("next_cursor").isNull() ? null : "&cursor=" + page.get("next_cursor").asString();
    } while (cursor != null);
    assertThat(texts).containsExactly("one", "two", "three", "four", "five");

    JsonNode first =
        api.get("/v1/atoms?asset_id=" + assetId + "&op_type=text.window&limit=1")
            .as(owner, "dev")
            .send()
            .json();
    String atomId = first.get("items").get(0).get("atom_id").asString();
    assertThat(api.get("/v1/atoms/" + atomId).as(owner, "dev").send().text("text"))
        .isEqualTo("one\n");
    JsonNode why =
        api.get("/v1/atoms/" + atomId + "/lineage?op_type=text.lines&asset_id=" + assetId)
            .as(owner, "dev")
            .send()
            .json();
    assertThat(why.get("asset").get("asset_id").asString()).isEqualTo(assetId);
    assertThat(why.get("derivation").get("op_type").asString()).isEqualTo("text.window");
    assertThat(why.get("derivation").get("params").get("size").asInt()).isEqualTo(4);
    assertThat(why.get("span").get("start_char").asInt()).isZero();
    assertThat(why.get("why").get("matched").asBoolean()).isFalse();
    assertThat(why.get("why").get("checks").get("asset_id").asBoolean()).isTrue();
    assertThat(why.get("why").get("checks").get("op_type").asBoolean()).isFalse();

    JsonNode lineage = api.get("/v1/assets/" + assetId + "/lineage").as(owner, "dev").send().json();
    assertThat(lineage.get("derivations")).hasSize(2);
    assertThat(lineage.get("derivations").get(0).get("op_type").asString()).isEqualTo("text.lines");
    assertThat(lineage.get("derivations").get(0).get("atom_count").asInt()).isEqualTo(5);
    assertThat(api.get("/v1/atoms?op_type=Bad%20Type").as(owner, "dev").send().code())
        .isEqualTo("validation_failed");

    // Guards against derivation_id being silently ignored (every atom answered).
    String window = lineage.get("derivations").get(1).get("derivation_id").asString();
    JsonNode byDerivation =
        api.get("/v1/atoms?derivation_id=" + window).as(owner, "dev").send().json();
    assertThat(byDerivation.get("filter").get("derivation_id").asString()).isEqualTo(window);
    assertThat(byDerivation.get("items").size()).isPositive();
    byDerivation
        .get("items")
        .forEach(a -> assertThat(a.get("derivation_id").asString()).isEqualTo(window));
    assertThat(
            api.get("/v1/atoms/" + atomId + "/lineage?derivation_id=" + window)
                .as(owner, "dev")
                .send()
                .json()
                .get("why")
                .get("checks")
                .get("derivation_id")
                .asBoolean())
        .isTrue();
    assertThat(api.get("/v1/atoms?derivation_id=dv_nope").as(owner, "dev").send().code())
        .isEqualTo("validation_failed");
  }

  @Test
  void deleteWhenSoftDeletedThenAssetAndItsAtomsDisappearFromReads() {
    Member owner = tenants.nexusTenant("nxdel");
    String assetId = nexus.asset(owner, "dev");
    nexus.derive(owner, "dev", assetId, "text.lines", Map.of());
    String atomId =
        api.get("/v1/atoms?asset_id=" + assetId)
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0)
            .get("atom_id")
            .asString();
    TestApi.Response deleted = api.delete("/v1/assets/" + assetId).as(owner, "dev").send();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.text("status")).isEqualTo("deleted");
    assertThat(api.get("/v1/assets/" + assetId).as(owner, "dev").send().status()).isEqualTo(404);
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().status())
        .isEqualTo(404);
    assertThat(api.get("/v1/atoms/" + atomId).as(owner, "dev").send().status()).isEqualTo(404);
    assertThat(nexus.derive(owner, "dev", assetId, "text.lines", Map.of()).status()).isEqualTo(404);
    assertThat(api.delete("/v1/assets/" + assetId).as(owner, "dev").send().status()).isEqualTo(404);
  }

  @Test
  void uploadWhenDedupeAndSameContentThenAnswersExistingAssetAndStoresNoSecondObject() {
    Member owner = tenants.nexusTenant("nxdup");
    TestApi.Response first =
        api.post("/v1/assets?filename=a.txt&dedupe=true")
            .as(owner, "dev")
            .body("same", "text/plain")
            .send();
    TestApi.Response again =
        api.post("/v1/assets?filename=b.txt&dedupe=true")
            .as(owner, "dev")
            .body("same", "text/plain")
            .send();
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("asset_id")).isEqualTo(first.text("asset_id"));
    assertThat(objects(owner, "dev")).hasSize(1);
    assertThat(
            api.post("/v1/assets?filename=c.txt")
                .as(owner, "dev")
                .body("same", "text/plain")
                .send()
                .status())
        .isEqualTo(201);
  }

  @Test
  void uploadWhenRejectedThenNothingStored() {
    Member owner = tenants.nexusTenant("nxrej");
    TestApi.Response mismatch =
        api.post("/v1/assets?filename=a.txt&sha256=" + "0".repeat(64))
            .as(owner, "dev")
            .body("content", "text/plain")
            .send();
    assertThat(mismatch.status()).isEqualTo(422);
    assertThat(mismatch.code()).isEqualTo("content_mismatch");
    assertThat(
            api.post("/v1/assets?filename=../../t_other/x")
                .as(owner, "dev")
                .body("x", "text/plain")
                .send()
                .code())
        .isEqualTo("invalid_filename");
    assertThat(
            api.post("/v1/assets?filename=..%252Fescape")
                .as(owner, "dev")
                .body("x", "text/plain")
                .send()
                .code())
        .isEqualTo("invalid_filename");
    assertThat(api.post("/v1/assets").as(owner, "dev").body("x", "text/plain").send().code())
        .isEqualTo("validation_failed");
    // A form is refused whatever its size: no multipart parser reads (or spools) it first.
    String form =
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
            + "x".repeat(3 << 20)
            + "\r\n--b--\r\n";
    TestApi.Response multipart =
        api.post("/v1/assets?filename=a.txt")
            .as(owner, "dev")
            .body(form, "Multipart/Form-Data; boundary=b")
            .send();
    assertThat(multipart.status()).isEqualTo(415);
    assertThat(multipart.code()).isEqualTo("unsupported_media_type");
    assertThat(
            api.post("/v1/assets/presign")
                .as(owner, "dev")
                .json(Map.of("filename", "a.txt", "size_bytes", 3, "sha256", Ids.sha256Hex("abc")))
                .send()
                .code())
        .isEqualTo("presign_unsupported");
    assertThat(assetRows(owner, "dev")).isZero();
    assertThat(objects(owner, "dev")).isEmpty();
  }

  @Test
  void otherTenantWhenGuessingAssetAndAtomIdsThenNotFoundEverywhere() {
    Member a = tenants.nexusTenant("nxisoa");
    Member b = tenants.nexusTenant("nxisob");
    String assetId = nexus.asset(a, "dev");
    nexus.derive(a, "dev", assetId, "text.lines", Map.of());
    String atomId =
        api.get("/v1/atoms?asset_id=" + assetId)
            .as(a, "dev")
            .send()
            .json()
            .get("items")
            .get(0)
            .get("atom_id")
            .asString();
    for (TestApi.Call call :
        List.of(
            api.get("/v1/assets/" + assetId).as(b, "dev"),
            api.get("/v1/assets/" + assetId + "/content").as(b, "dev"),
            api.get("/v1/assets/" + assetId + "/lineage").as(b, "dev"),
            api.post("/v1/assets/" + assetId + "/register").as(b, "dev"),
            api.post("/v1/assets/" + assetId + "/derivations")
                .as(b, "dev")
                .json(Map.of("op_type", "text.lines")),
            api.delete("/v1/assets/" + assetId).as(b, "dev"),
            api.get("/v1/atoms/" + atomId).as(b, "dev"),
            api.get("/v1/atoms/" + atomId + "/lineage").as(b, "dev"),
            api.get("/v1/assets/" + assetId).as(a, "prod"),
            api.get("/v1/atoms/" + atomId).as(a, "prod"))) {
      TestApi.Response r = call.send();
      assertThat(r.status()).as("%s", r).isEqualTo(404);
      assertThat(r.body()).doesNotContain(a.tenantId());
    }
    assertThat(api.get("/v1/atoms?asset_id=" + assetId).as(b, "dev").send().json().get("items"))
        .isEmpty();
    // B's upload under A's asset id is impossible: ids are minted by the server and keys built from
    // B's scope.
    TestApi.Response own =
        api.post("/v1/assets?filename=" + assetId).as(b, "dev").body("x", "text/plain").send();
    assertThat(own.text("object_key")).startsWith("tenants/" + b.tenantId() + "/dev/raw/");
    assertThat(api.get("/v1/assets/" + assetId).as(a, "dev").send().status()).isEqualTo(200);
    assertThat(objects(a, "dev")).hasSize(1);
  }

  @Test
  void uploadWhenMetadataInsertFailsThenObjectRemovedAndNoRow() throws Exception {
    Member owner = tenants.nexusTenant("nxfault");
    try (Connection c =
            DriverManager.getConnection(DB_URL, "engines_owner", "engines_owner_local");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE OR REPLACE FUNCTION nexus_test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN IF NEW.filename = 'fail-metadata.txt' THEN RAISE EXCEPTION 'injected metadata failure'; END IF;"
              + " RETURN NEW; END $$");
      s.execute(
          "CREATE TRIGGER nexus_test_fail_insert BEFORE INSERT ON raw_assets FOR EACH ROW EXECUTE FUNCTION nexus_test_fail_insert()");
      try {
        TestApi.Response r =
            api.post("/v1/assets?filename=fail-metadata.txt")
                .as(owner, "dev")
                .body("payload", "text/plain")
                .send();
        assertThat(r.status()).as("%s", r).isEqualTo(500);
      } finally {
        s.execute("DROP TRIGGER nexus_test_fail_insert ON raw_assets");
        s.execute("DROP FUNCTION nexus_test_fail_insert()");
      }
    }
    assertThat(assetRows(owner, "dev")).isZero();
    assertThat(objects(owner, "dev")).as("no orphan object").isEmpty();
  }

  @Test
  void uploadWhenClientCutsStreamThenNothingRegistered() throws Exception {
    Member owner = tenants.nexusTenant("nxcut");
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/assets?filename=cut.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + owner.token()
                  + "\r\nX-Tenant-Id: "
                  + owner.tenantId()
                  + "\r\nX-Env: dev\r\nX-Request-Id: nx-cut-1\r\nContent-Type: text/plain\r\n"
                  + "Content-Length: 1000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[64 * 1024]);
      out.flush();
    }
    JsonNode events = awaitEvent(owner, "nx-cut-1");
    assertThat(events.get(0).get("outcome").asString()).isEqualTo("failure");
    assertThat(assetRows(owner, "dev")).isZero();
    assertThat(objects(owner, "dev")).isEmpty();
  }

  @Test
  void reconcileWhenObjectHasNoMetadataThenRemovedAndRegisteredObjectsKept() {
    Member owner = tenants.nexusTenant("nxrec");
    Member viewer = tenants.user(owner, "viewer");
    String kept = nexus.asset(owner, "dev");
    Scope scope = Scope.of(owner.tenantId(), "dev");
    slots
        .storage(Caller.system(scope, "test"))
        .store()
        .put(
            ObjectKey.rawAsset(scope, "ra_orphan0000000000", "left.txt"),
            new ByteArrayInputStream(new byte[] {1, 2}),
            PutOptions.of("text/plain", 10));
    assertThat(objects(owner, "dev")).hasSize(2);
    assertThat(api.post("/v1/storage/reconcile").as(viewer, "dev").json(Map.of()).send().code())
        .isEqualTo("forbidden_role");
    TestApi.Response young =
        api.post("/v1/storage/reconcile").as(owner, "dev").json(Map.of()).send();
    assertThat(young.json().get("removed_objects").asInt()).as("inside the grace period").isZero();
    TestApi.Response r =
        api.post("/v1/storage/reconcile").as(owner, "dev").json(Map.of("grace_seconds", 0)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("removed_objects").asInt()).isEqualTo(1);
    assertThat(objects(owner, "dev"))
        .singleElement()
        .satisfies(k -> assertThat(k.value()).contains(kept));
  }

  @Test
  void usageWhenRecordedThenIdsOnlyInLogAndEvent() {
    Member owner = tenants.nexusTenant("nxuse");
    TestApi.Response r =
        api.post("/v1/usage")
            .as(owner, "dev")
            .header("X-Request-Id", "nx-use-1")
            .json(
                Map.of(
                    "items",
                    List.of(
                        Map.of(
                            "ref_type",
                            "card",
                            "ref_id",
                            "card_42",
                            "used_at",
                            "2026-03-01T00:00:00Z"),
                        Map.of("ref_type", "atom", "ref_id", "at_" + "0".repeat(32)))))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("items").asInt()).isEqualTo(2);
    JsonNode event =
        api.get("/v1/events?request_id=nx-use-1")
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("input_refs").toString()).contains("card_42");
    assertThat(
            api.post("/v1/usage")
                .as(owner, "dev")
                .json(Map.of("items", List.of(Map.of("ref_type", "card", "ref_id", "has space"))))
                .send()
                .code())
        .isEqualTo("validation_failed");
    assertThat(api.get("/v1/atomizers").as(owner, "dev").send().json().toString())
        .contains("text.lines")
        .contains("media.slices");
  }

  private JsonNode awaitEvent(Member owner, String requestId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      JsonNode items =
          api.get("/v1/events?request_id=" + requestId).as(owner, "dev").send().json().get("items");
      if (items != null && !items.isEmpty()) {
        return items;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no event for " + requestId);
  }

  @Test
  void uploadWhenSlotHasPrefixThenObjectStoredUnderThatPrefixOfTheRoot() throws Exception {
    Member owner = tenants.nexusTenant("nxfspre");
    tenants.configure(
        owner,
        "dev",
        "storage",
        Map.of("backend", "filesystem", "prefix", "team-a/raw", "max_object_bytes", 1024));
    String assetId = nexus.asset(owner, "dev", "under a prefix\n");
    Path file =
        Path.of(
            "target/test-data/raw/team-a/raw/tenants",
            owner.tenantId(),
            "dev",
            "raw",
            assetId,
            "notes.txt");
    assertThat(Files.readString(file)).isEqualTo("under a prefix\n");
    assertThat(
            Files.exists(
                Path.of("target/test-data/raw/tenants", owner.tenantId(), "dev", "raw", assetId)))
        .isFalse();
    assertThat(api.get("/v1/assets/" + assetId + "/content").as(owner, "dev").send().body())
        .isEqualTo("under a prefix\n");
  }

  /**
   * Guards against one tenant's slot prefix placing its objects inside another tenant's key space,
   * where the other tenant's reconcile deleted them.
   */
  @Test
  void
      slotPrefixWhenInsideAnotherTenantsKeySpaceThenRefusedAndTheOthersReconcileDeletesNothingOfIt() {
    Member victim = tenants.nexusTenant("nxpv");
    Member attacker = tenants.nexusTenant("nxpa");
    String own = nexus.asset(victim, "dev");
    for (String prefix :
        List.of(
            "tenants/" + victim.tenantId() + "/dev/raw",
            "a/tenants/" + victim.tenantId(),
            "TENANTS",
            "%74enants/" + victim.tenantId(),
            "\uFF54enants")) {
      TestApi.Response r =
          api.put("/v1/config/storage")
              .as(attacker, "dev")
              .json(Map.of("backend", "filesystem", "prefix", prefix, "max_object_bytes", 1024))
              .send();
      assertThat(r.status()).as("%s: %s", prefix, r).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
      assertThat(r.json().get("errors").toString()).contains("\"field\":\"prefix\"");
    }

    // A slot stored before such prefixes were refused writes nothing more...
    Scope attackerScope = Scope.of(attacker.tenantId(), "dev");
    String inside = "tenants/" + victim.tenantId() + "/dev/raw";
    tx.write(
        Caller.system(attackerScope, "test"),
        () ->
            jdbc.sql(
                    "INSERT INTO env_config (tenant_id, env, slot, version, settings, created_at, created_by)"
                        + " SELECT tenant_id, env, slot, max(version) + 1, CAST(:settings AS jsonb), now(), 'test' FROM env_config"
                        + " WHERE tenant_id = :t AND env = 'dev' AND slot = 'storage' GROUP BY tenant_id, env, slot")
                .param(
                    "settings",
                    "{\"backend\":\"filesystem\",\"prefix\":\""
                        + inside
                        + "\",\"max_object_bytes\":1024}")
                .param("t", attacker.tenantId())
                .update());
    TestApi.Response refused =
        api.post("/v1/assets?filename=x.txt").as(attacker, "dev").body("x", "text/plain").send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("config_invalid");
    // ...and what it wrote then is none of the victim's reconcile's business.
    ObjectKey planted = ObjectKey.rawAsset(attackerScope, "ra_planted0000000000", "kept.txt");
    RawStore legacy = slots.store(new StorageLocation("filesystem", "", inside));
    legacy.put(
        planted, new ByteArrayInputStream(new byte[] {1, 2}), PutOptions.of("text/plain", 10));
    TestApi.Response r =
        api.post("/v1/storage/reconcile").as(victim, "dev").json(Map.of("grace_seconds", 0)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("removed_objects").asInt()).isZero();
    assertThat(legacy.head(planted)).as("the attacker's object").isPresent();
    assertThat(objects(victim, "dev"))
        .singleElement()
        .satisfies(k -> assertThat(k.value()).contains(own));
  }

  @Test
  void retentionWhenDeletedAssetPastWindowThenRowsAtomsAndObjectPurgedOthersKept() {
    Member owner = tenants.nexusTenant("nxret");
    Member other = tenants.nexusTenant("nxretb");
    String old = nexus.asset(owner, "dev", "old one\n");
    String recent = nexus.asset(owner, "dev", "recent one\n");
    String active = nexus.asset(owner, "dev", "still active\n");
    String otherOld = nexus.asset(other, "dev", "other tenant\n");
    assertThat(nexus.derive(owner, "dev", old, "text.lines", Map.of()).status()).isEqualTo(200);
    for (String id : List.of(old, recent)) {
      assertThat(api.delete("/v1/assets/" + id).as(owner, "dev").send().status()).isEqualTo(200);
    }
    assertThat(api.delete("/v1/assets/" + otherOld).as(other, "dev").send().status())
        .isEqualTo(200);
    age(owner, "dev", old, 10);
    age(other, "dev", otherOld, 10);
    assertThat(objects(owner, "dev")).hasSize(3);

    assertThat(
            api.call("PUT", "/v1/gdpr/retention")
                .as(owner, "dev")
                .json(Map.of("data_class", "deleted_assets", "max_age_days", 7))
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response run = api.post("/v1/gdpr/retention/run").as(owner, "dev").send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(run.json().get("purged").get("deleted_assets").asInt()).isEqualTo(1);

    Scope scope = Scope.of(owner.tenantId(), "dev");
    assertThat(
            tx.read(
                Caller.system(scope, "test"),
                () ->
                    jdbc.sql("SELECT asset_id FROM raw_assets ORDER BY asset_id")
                        .query(String.class)
                        .list()))
        .containsExactlyInAnyOrder(recent, active);
    assertThat(
            tx.read(
                Caller.system(scope, "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM atoms WHERE asset_id = :id")
                        .param("id", old)
                        .query(Integer.class)
                        .single()))
        .isZero();
    assertThat(
            tx.read(
                Caller.system(scope, "test"),
                () ->
                    jdbc.sql("SELECT count(*) FROM derivations WHERE asset_id = :id")
                        .param("id", old)
                        .query(Integer.class)
                        .single()))
        .isZero();
    assertThat(objects(owner, "dev"))
        .extracting(ObjectKey::value)
        .noneMatch(k -> k.contains(old))
        .anyMatch(k -> k.contains(recent))
        .anyMatch(k -> k.contains(active));
    assertThat(objects(other, "dev")).as("another tenant's policy-less assets stay").hasSize(1);
    JsonNode audit =
        api.get("/v1/audit?action=retention.run").as(owner, "dev").send().json().get("items");
    assertThat(audit.get(0).get("details").get("purged").get("deleted_assets").asInt())
        .isEqualTo(1);
  }

  @Test
  void retentionWhenTenantUnderLegalHoldThenDeletedAssetPastWindowKept() {
    Member owner = tenants.nexusTenant("nxhold");
    String old = nexus.asset(owner, "dev", "held\n");
    assertThat(api.delete("/v1/assets/" + old).as(owner, "dev").send().status()).isEqualTo(200);
    age(owner, "dev", old, 30);
    assertThat(
            api.post("/v1/gdpr/legal-holds")
                .as(owner, "dev")
                .json(Map.of("reason", "litigation"))
                .send()
                .status())
        .isEqualTo(201);
    assertThat(
            api.call("PUT", "/v1/gdpr/retention")
                .as(owner, "dev")
                .json(Map.of("data_class", "deleted_assets", "max_age_days", 1))
                .send()
                .status())
        .isEqualTo(200);
    TestApi.Response run = api.post("/v1/gdpr/retention/run").as(owner, "dev").send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(assetRows(owner, "dev")).isOne();
    assertThat(objects(owner, "dev")).hasSize(1);
  }

  /** Moves an asset's deletion {@code days} into the past (the API only deletes now). */
  private void age(Member owner, String env, String assetId, int days) {
    tx.write(
        Caller.system(Scope.of(owner.tenantId(), env), "test"),
        () ->
            jdbc.sql(
                    "UPDATE raw_assets SET deleted_at = deleted_at - make_interval(days => :days) WHERE asset_id = :id")
                .param("days", days)
                .param("id", assetId)
                .update());
  }

  private int assetRows(Member owner, String env) {
    return tx.read(
        Caller.system(Scope.of(owner.tenantId(), env), "test"),
        () -> jdbc.sql("SELECT count(*) FROM raw_assets").query(Integer.class).single());
  }

  private List<ObjectKey> objects(Member owner, String env) {
    return NexusFixtures.objects(slots, owner, env);
  }
}
