package dev.engines.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RawStore} contract, written once and run against every adapter by a one-line subclass
 * that supplies a store. Sizes are chosen relative to the adapter's part size, so single-request
 * and multipart/resumable paths are both exercised. Every adapter's test also implements exactly
 * one of {@link PresignContract} and {@link NoPresignContract}, so no presign test is skipped.
 */
public abstract class RawStoreContractTests {

  protected static final Scope SCOPE = Scope.of("t_acme", "dev");
  protected static final int MIB = 1024 * 1024;
  private static final long NO_LIMIT = Long.MAX_VALUE;

  protected RawStore store;

  /** A fresh, empty store for one test. */
  protected abstract RawStore newStore() throws Exception;

  /**
   * A second store on the same bucket (or root) as the last {@link #newStore()}, whose backend
   * names get {@code extra} after that store's own prefix: what another tenant's slot prefix does.
   */
  protected abstract RawStore newStoreBeside(BucketPrefix extra);

  /** The size at which the adapter switches from one request to a multipart/resumable upload. */
  protected abstract int partSize();

  /** The name {@link RawStore#backend()} must answer. */
  protected abstract String expectedBackend();

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void adapterTestWhenRunThenPicksExactlyOnePresignMixIn() {
    assertThat(presignMixIns(getClass()))
        .as(
            "%s must implement exactly one of PresignContract and NoPresignContract",
            getClass().getSimpleName())
        .isEqualTo(1);
  }

  @Test
  void presignMixInRuleWhenNoneOrBothThenCountsThem() {
    abstract class Neither extends RawStoreContractTests {}
    abstract class Both extends RawStoreContractTests
        implements PresignContract, NoPresignContract {}
    assertThat(presignMixIns(Neither.class)).isZero();
    assertThat(presignMixIns(Both.class)).isEqualTo(2);
  }

  /** How many of the two presign mix-ins an adapter test implements. */
  static int presignMixIns(Class<?> adapterTest) {
    return (PresignContract.class.isAssignableFrom(adapterTest) ? 1 : 0)
        + (NoPresignContract.class.isAssignableFrom(adapterTest) ? 1 : 0);
  }

  protected static ObjectKey newKey(String filename) {
    return ObjectKey.rawAsset(SCOPE, Ids.random("ra"), filename);
  }

  protected static PutOptions options(long maxBytes) {
    return PutOptions.of("application/pdf", maxBytes);
  }

  @Test
  void backendNamesItself() {
    assertThat(store.backend()).isEqualTo(expectedBackend());
  }

  @Test
  void putThenOpenReturnsSameBytesWithSha256AndSize() throws IOException {
    ObjectKey key = newKey("report.pdf");
    String text = "hello, tenant";

    StoredObject stored = store.put(key, TestContent.text(text), options(NO_LIMIT));

    assertThat(stored.key()).isEqualTo(key);
    assertThat(stored.size()).isEqualTo(text.length());
    assertThat(stored.sha256()).contains(TestContent.sha256(text));
    assertThat(stored.contentType()).isEqualTo("application/pdf");
    try (InputStream in = store.open(key)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
    }
  }

  @Test
  void putWhenContentIsEmptyThenStoresZeroBytes() throws IOException {
    ObjectKey key = newKey("empty.txt");

    StoredObject stored = store.put(key, InputStream.nullInputStream(), options(NO_LIMIT));

    assertThat(stored.size()).isZero();
    assertThat(stored.sha256()).contains(TestContent.sha256(""));
    try (InputStream in = store.open(key)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void putWhenStreamIsLargeAndNotMarkableThenStoresItWhole() {
    ObjectKey key = newKey("large.bin");
    long size = 20L * MIB + 17;
    InputStream content = TestContent.generated(size, 20);
    assertThat(content.markSupported()).isFalse();

    StoredObject stored = store.put(key, content, PutOptions.of("application/octet-stream", size));

    String sha256 = TestContent.sha256(size, 20);
    assertThat(stored.size()).isEqualTo(size);
    assertThat(stored.sha256()).contains(sha256);
    assertThat(TestContent.sha256(store.open(key))).isEqualTo(sha256);
    StoredObject head = store.head(key).orElseThrow();
    assertThat(head.size()).isEqualTo(size);
    // Recorded when the backend can (see the adapters); never a wrong value.
    head.sha256().ifPresent(recorded -> assertThat(recorded).isEqualTo(sha256));
  }

  @Test
  void putWhenLargeContentDeclaresSha256ThenHeadRecordsIt() {
    ObjectKey key = newKey("declared.bin");
    long size = 2L * partSize() + 5;
    String sha256 = TestContent.sha256(size, 7);

    store.put(
        key,
        TestContent.generated(size, 7),
        options(size).withExpectedSize(size).withExpectedSha256(sha256.toUpperCase()));

    assertThat(store.head(key).orElseThrow().sha256()).contains(sha256);
  }

  @Test
  void putWhenMaxBytesExceededThenRejects413AndStoresNothing() {
    ObjectKey key = newKey("too-big.bin");

    assertThatThrownBy(() -> store.put(key, TestContent.generated(11, 1), options(10)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.code()).isEqualTo(StorageProblems.PAYLOAD_TOO_LARGE);
            });
    assertNothingStored(key);
  }

  @Test
  void putWhenMaxBytesExceededAfterSeveralPartsThenRejects413AndStoresNothing() {
    ObjectKey key = newKey("too-big-multipart.bin");
    long limit = 2L * partSize() + 1;

    assertThatThrownBy(
            () -> store.put(key, TestContent.generated(3L * partSize(), 2), options(limit)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.PAYLOAD_TOO_LARGE));
    assertAbandonedUploadInvisible(key);
  }

  @Test
  void putWhenDeclaredSha256DiffersThenRejects422AndStoresNothing() {
    ObjectKey key = newKey("tampered.pdf");
    PutOptions declared =
        options(NO_LIMIT).withExpectedSha256(TestContent.sha256("something else"));

    assertThatThrownBy(() -> store.put(key, TestContent.text("actual content"), declared))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.code()).isEqualTo(StorageProblems.CONTENT_MISMATCH);
            });
    assertNothingStored(key);
  }

  @Test
  void putWhenDeclaredSha256DiffersOnMultipartContentThenStoresNothing() {
    ObjectKey key = newKey("tampered-large.bin");
    long size = 2L * partSize() + 3;
    PutOptions declared = options(NO_LIMIT).withExpectedSha256(TestContent.sha256(size, 99));

    assertThatThrownBy(() -> store.put(key, TestContent.generated(size, 3), declared))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.CONTENT_MISMATCH));
    assertAbandonedUploadInvisible(key);
  }

  @Test
  void putWhenContentShorterThanDeclaredSizeThenRejects422AndStoresNothing() {
    ObjectKey key = newKey("short.bin");

    assertThatThrownBy(
            () ->
                store.put(
                    key, TestContent.generated(100, 4), options(NO_LIMIT).withExpectedSize(101)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.CONTENT_MISMATCH));
    assertNothingStored(key);
  }

  @Test
  void putWhenContentLongerThanDeclaredSizeThenRejects422AndStoresNothing() {
    ObjectKey key = newKey("long.bin");

    assertThatThrownBy(
            () ->
                store.put(
                    key, TestContent.generated(102, 4), options(NO_LIMIT).withExpectedSize(101)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.CONTENT_MISMATCH));
    assertNothingStored(key);
  }

  @Test
  void putWhenInputFailsMidStreamThenRejects400AndStoresNothing() {
    ObjectKey key = newKey("cut.bin");

    assertThatThrownBy(
            () -> store.put(key, TestContent.failingAfter(1000, 5, 500), options(NO_LIMIT)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(StorageProblems.UPLOAD_INTERRUPTED);
              assertThat(e.getCause()).isInstanceOf(IOException.class);
            });
    assertNothingStored(key);
  }

  @Test
  void putWhenInputFailsAfterSeveralPartsThenStoresNothing() {
    ObjectKey key = newKey("cut-large.bin");

    assertThatThrownBy(
            () ->
                store.put(
                    key,
                    TestContent.failingAfter(4L * partSize(), 6, 2L * partSize() + 10),
                    options(NO_LIMIT)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.UPLOAD_INTERRUPTED));
    assertAbandonedUploadInvisible(key);
  }

  @Test
  void putWhenInputFailsOnExistingKeyThenPreviousContentStays() {
    ObjectKey key = newKey("kept.txt");
    store.put(key, TestContent.text("version 1"), options(NO_LIMIT));

    assertThatThrownBy(
            () -> store.put(key, TestContent.failingAfter(1000, 8, 10), options(NO_LIMIT)))
        .isInstanceOf(EnginesException.class);

    assertThat(TestContent.sha256(store.open(key))).isEqualTo(TestContent.sha256("version 1"));
  }

  @Test
  void putWhenKeyExistsThenReplacesContent() {
    ObjectKey key = newKey("replaced.txt");
    store.put(key, TestContent.text("version 1"), options(NO_LIMIT));

    store.put(key, TestContent.text("version 2"), PutOptions.of("text/plain", NO_LIMIT));

    assertThat(TestContent.sha256(store.open(key))).isEqualTo(TestContent.sha256("version 2"));
    assertThat(store.head(key).orElseThrow().contentType()).isEqualTo("text/plain");
  }

  @Test
  void headReturnsSizeSha256ContentTypeAndTime() {
    ObjectKey key = newKey("head.json");
    store.put(key, TestContent.text("{\"a\":1}"), PutOptions.of("application/json", NO_LIMIT));

    StoredObject head = store.head(key).orElseThrow();

    assertThat(head.key()).isEqualTo(key);
    assertThat(head.size()).isEqualTo(7);
    assertThat(head.sha256()).contains(TestContent.sha256("{\"a\":1}"));
    assertThat(head.contentType()).isEqualTo("application/json");
    assertThat(head.lastModified()).isNotNull();
  }

  @Test
  void headWhenMissingThenEmpty() {
    assertThat(store.head(newKey("missing.txt"))).isEmpty();
  }

  @Test
  void openWhenMissingThenNotFound() {
    assertThatThrownBy(() -> store.open(newKey("missing.txt")))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("not_found");
            });
  }

  @Test
  void deleteWhenPresentThenTrueAndGone() {
    ObjectKey key = newKey("deleted.txt");
    store.put(key, TestContent.text("bye"), options(NO_LIMIT));

    assertThat(store.delete(key)).isTrue();

    assertNothingStored(key);
  }

  @Test
  void deleteWhenMissingThenFalse() {
    assertThat(store.delete(newKey("missing.txt"))).isFalse();
  }

  @Test
  void listReturnsEveryKeyUnderThePrefixAndNothingOfOtherTenantsOrEnvs() {
    ObjectKey first = newKey("a.txt");
    ObjectKey second = newKey("b.txt");
    ObjectKey otherTenant =
        ObjectKey.rawAsset(Scope.of("t_acme2", "dev"), Ids.random("ra"), "a.txt");
    ObjectKey otherEnv = ObjectKey.rawAsset(Scope.of("t_acme", "prod"), Ids.random("ra"), "a.txt");
    for (ObjectKey key : List.of(first, second, otherTenant, otherEnv)) {
      store.put(key, TestContent.text(key.value()), options(NO_LIMIT));
    }

    try (Stream<ObjectKey> listed = store.list(ObjectKey.scopePrefix(SCOPE))) {
      assertThat(listed).containsExactlyInAnyOrder(first, second);
    }
    try (Stream<ObjectKey> listed =
        store.list(ObjectKey.rawAssetPrefix(SCOPE, first.segments().get(4)))) {
      assertThat(listed).containsExactly(first);
    }
  }

  /**
   * Guards against reconcile deleting another tenant's objects that a slot prefix put under this
   * scope.
   */
  @Test
  void listWhenNamesUnderThePrefixAreNotKeysOfItsLayoutThenLeftOut() {
    ObjectKey own = newKey("a.txt");
    store.put(own, TestContent.text("own"), options(NO_LIMIT));
    ObjectKey foreign = ObjectKey.rawAsset(Scope.of("t_other", "dev"), Ids.random("ra"), "b.txt");
    try (RawStore inside = newStoreBeside(new BucketPrefix("tenants/t_acme/dev/raw"))) {
      inside.put(foreign, TestContent.text("foreign"), options(NO_LIMIT));

      try (Stream<ObjectKey> listed = store.list(ObjectKey.scopePrefix(SCOPE))) {
        assertThat(listed).containsExactly(own);
      }
      assertThat(inside.head(foreign)).isPresent();
    }
  }

  @Test
  void listWhenNothingStoredThenEmpty() {
    try (Stream<ObjectKey> listed =
        store.list(ObjectKey.scopePrefix(Scope.of("t_nobody", "staging")))) {
      assertThat(listed).isEmpty();
    }
  }

  @Test
  void verifyWhenContentMatchesThenReturnsSha256() {
    ObjectKey key = newKey("verified.bin");
    long size = partSize() + 1L;
    store.put(key, TestContent.generated(size, 9), options(NO_LIMIT));

    StoredObject verified = store.verify(key, size, TestContent.sha256(size, 9));

    assertThat(verified.sha256()).contains(TestContent.sha256(size, 9));
    assertThat(verified.size()).isEqualTo(size);
  }

  @Test
  void verifyWhenSha256DiffersThenContentMismatchAndObjectKept() {
    ObjectKey key = newKey("unverified.txt");
    store.put(key, TestContent.text("what was uploaded"), options(NO_LIMIT));

    assertThatThrownBy(() -> store.verify(key, 17, TestContent.sha256("what was declared")))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.CONTENT_MISMATCH));
    assertThat(store.head(key)).isPresent();
  }

  @Test
  void verifyWhenSizeDiffersThenContentMismatch() {
    ObjectKey key = newKey("sized.txt");
    store.put(key, TestContent.text("12345"), options(NO_LIMIT));

    assertThatThrownBy(() -> store.verify(key, 6, TestContent.sha256("12345")))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.CONTENT_MISMATCH));
  }

  @Test
  void verifyWhenMissingThenNotFound() {
    assertThatThrownBy(() -> store.verify(newKey("missing.txt"), 1, TestContent.sha256("x")))
        .isInstanceOfSatisfying(EnginesException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  /**
   * Checks what a failed multipart or resumable upload leaves: by default nothing under the key. A
   * subclass whose test double cannot show that overrides it with an equivalent check.
   */
  protected void assertAbandonedUploadInvisible(ObjectKey key) {
    assertNothingStored(key);
  }

  /** The store under test; public so the presign contract interfaces can reach it. */
  public RawStore store() {
    return store;
  }

  public void assertNothingStored(ObjectKey key) {
    assertThat(store.head(key)).isEmpty();
    assertThatThrownBy(() -> store.open(key))
        .isInstanceOfSatisfying(EnginesException.class, e -> assertThat(e.status()).isEqualTo(404));
    try (Stream<ObjectKey> listed = store.list(ObjectKey.scopePrefix(key.scope()))) {
      assertThat(listed).doesNotContain(key);
    }
  }
}
