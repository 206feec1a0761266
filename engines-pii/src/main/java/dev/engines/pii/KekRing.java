package dev.engines.pii;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.TenantId;
import dev.engines.pii.internal.Crypto;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The ring of key-encryption keys (KEKs) that seal the keys the service stores (the per-subject
 * token keys of {@code pii_subject_keys}). Every sealed row names the KEK it is under ({@code
 * kek_id}); new rows are sealed under the ring's <b>primary</b>; {@code bin/engines keys rotate}
 * re-seals older rows under it; a KEK leaves the ring only once no row names it
 * (docs/adr/0017-kek-ring-rotation.md).
 *
 * <p>Two kinds of entry:
 *
 * <ul>
 *   <li>{@value #MASTER_KEK_ID}, the <b>seed</b>: per tenant an AES-256-GCM key derived from the
 *       master key ({@link DerivedPiiKeys#keyEncryptionKey}), the scheme every row was sealed with
 *       before keysets existed, so a database of an earlier release keeps working unchanged. It is
 *       the primary when no keyset is configured, and stays in the ring for unsealing until it is
 *       retired ({@code engines.pii.master-kek-retired}).
 *   <li>{@code tink/<key id>}: the enabled keys of a Tink AEAD keyset ({@code
 *       engines.pii.kek-keyset}, Tink's JSON keyset format); the keyset's primary is the ring's
 *       primary. Tink's output prefix names the key in each ciphertext as well.
 * </ul>
 *
 * The tenant, subject and key id are bound into every sealed key as associated data, so a sealed
 * key copied to another row or tenant does not unseal. Key material never appears in messages.
 */
public final class KekRing {

  /** The id of the seed entry, derived from the master key. */
  public static final String MASTER_KEK_ID = "master/v1";

  /** The {@code wrapping} of rows sealed under {@link #MASTER_KEK_ID}. */
  public static final String MASTER_WRAPPING = "aes256gcm-hkdf/v1";

  /** The {@code wrapping} of rows sealed under a keyset entry. */
  public static final String KEYSET_WRAPPING = "tink-aead/v1";

  /** The problem code of a row sealed under a KEK the ring does not hold. */
  public static final String KEK_UNKNOWN = "pii_kek_unknown";

  private static final String TINK_PREFIX = "tink/";

  private final DerivedPiiKeys derived;
  private final boolean masterRetired;
  private final KeysetHandle keyset;
  private final Aead keysetAead;
  private final List<String> keyIds;
  private final String primaryId;

  private KekRing(DerivedPiiKeys derived, KeysetHandle keyset, boolean masterRetired) {
    this.derived = Objects.requireNonNull(derived, "derived");
    this.keyset = keyset;
    this.masterRetired = masterRetired;
    List<String> ids = new ArrayList<>();
    if (!masterRetired) {
      ids.add(MASTER_KEK_ID);
    }
    if (keyset == null) {
      if (masterRetired) {
        throw new IllegalArgumentException(
            "The master KEK can only be retired once a KEK keyset holds the primary.");
      }
      this.keysetAead = null;
      this.primaryId = MASTER_KEK_ID;
    } else {
      for (int i = 0; i < keyset.size(); i++) {
        if (keyset.getAt(i).getStatus() == KeyStatus.ENABLED) {
          ids.add(tinkId(keyset.getAt(i).getId()));
        }
      }
      this.primaryId = tinkId(keyset.getPrimary().getId());
      try {
        this.keysetAead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("The KEK keyset is not an AEAD keyset.");
      }
    }
    this.keyIds = Collections.unmodifiableList(ids);
  }

  /**
   * The ring of the master key's seed entry and, when {@code keysetJson} is not blank, the keys of
   * that Tink JSON keyset (whose primary becomes the ring's).
   *
   * @throws IllegalArgumentException when the keyset does not parse, is not an AEAD keyset or has
   *     no enabled primary, or when the seed is retired without a keyset; the message names no key
   *     material
   */
  public static KekRing of(DerivedPiiKeys derived, String keysetJson, boolean masterRetired) {
    return new KekRing(derived, parseKeyset(keysetJson), masterRetired);
  }

  /** The keyset of {@code keysetJson}, or null when it is blank; see {@link #of}. */
  public static KeysetHandle parseKeyset(String keysetJson) {
    if (keysetJson == null || keysetJson.isBlank()) {
      return null;
    }
    Crypto.register();
    KeysetHandle handle;
    try {
      handle =
          TinkJsonProtoKeysetFormat.parseKeyset(
              keysetJson, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // Tink's message may quote the input: never pass it on.
      throw new IllegalArgumentException("The KEK keyset is not a Tink JSON keyset.");
    }
    try {
      handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
      handle.getPrimary();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "The KEK keyset must be an AEAD keyset with an enabled primary key.");
    }
    return handle;
  }

  /** A keyset of {@code current}'s keys (none when blank) plus a new AES-256-GCM primary. */
  public static String withNewPrimary(String current) {
    Crypto.register();
    KeysetHandle handle = parseKeyset(current);
    try {
      KeysetHandle.Builder builder =
          handle == null ? KeysetHandle.newBuilder() : KeysetHandle.newBuilder(handle);
      builder.addEntry(
          KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
              .withRandomId()
              .makePrimary());
      return TinkJsonProtoKeysetFormat.serializeKeyset(
          builder.build(), RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("A new KEK could not be generated.", e);
    }
  }

  /**
   * {@code current} without the key {@code kekId} ({@code tink/<id>}); refuses the primary.
   *
   * @throws IllegalArgumentException when the keyset has no such key, or it is the primary
   */
  public static String without(String current, String kekId) {
    KeysetHandle handle = parseKeyset(current);
    if (handle == null) {
      throw new IllegalArgumentException("No KEK keyset is configured.");
    }
    try {
      KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
      for (int i = 0; i < builder.size(); i++) {
        if (tinkId(handle.getAt(i).getId()).equals(kekId)) {
          if (handle.getAt(i).isPrimary()) {
            throw new IllegalArgumentException("The primary KEK cannot be retired.");
          }
          builder.deleteAt(i);
          return TinkJsonProtoKeysetFormat.serializeKeyset(
              builder.build(), RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The KEK keyset could not be rebuilt.", e);
    }
    throw new IllegalArgumentException("The KEK keyset holds no key " + kekId + ".");
  }

  /** The id new rows are sealed under. */
  public String primaryId() {
    return primaryId;
  }

  /** The ids of every KEK that can unseal, the seed first. */
  public List<String> keyIds() {
    return keyIds;
  }

  /** Whether the seed entry is retired (out of the ring). */
  public boolean masterRetired() {
    return masterRetired;
  }

  /** Whether a keyset is configured. */
  public boolean hasKeyset() {
    return keyset != null;
  }

  /**
   * Seals {@code key} under the primary, bound to {@code associatedData} and the tenant's seed KEK
   * when the seed is primary.
   */
  public Sealed seal(TenantId tenant, byte[] key, byte[] associatedData) {
    try {
      if (keysetAead == null) {
        return new Sealed(
            MASTER_KEK_ID, MASTER_WRAPPING, masterAead(tenant).encrypt(key, associatedData));
      }
      return new Sealed(primaryId, KEYSET_WRAPPING, keysetAead.encrypt(key, associatedData));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Key sealing failed.", e);
    }
  }

  /**
   * The key sealed under {@code kekId}.
   *
   * @throws EnginesException 503 {@value #KEK_UNKNOWN} when the ring does not hold {@code kekId}
   *     (retired too early, or a keyset that lost a key): loud, and no key material in it
   * @throws GeneralSecurityException when the sealed bytes were altered, moved, or sealed under
   *     another key
   */
  public byte[] unseal(TenantId tenant, String kekId, byte[] sealed, byte[] associatedData)
      throws GeneralSecurityException {
    if (!keyIds.contains(kekId)) {
      throw kekUnknown();
    }
    if (MASTER_KEK_ID.equals(kekId)) {
      return masterAead(tenant).decrypt(sealed, associatedData);
    }
    return keysetAead.decrypt(sealed, associatedData);
  }

  /** 503 {@value #KEK_UNKNOWN}. */
  public static EnginesException kekUnknown() {
    return new EnginesException(
        503,
        KEK_UNKNOWN,
        "A stored key is sealed under a key-encryption key this service does not hold; an operator"
            + " must restore that key to the configured keyset.");
  }

  private Aead masterAead(TenantId tenant) {
    byte[] kek = derived.keyEncryptionKey(tenant);
    try {
      return Crypto.aesGcm(kek);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private static String tinkId(int id) {
    return TINK_PREFIX + Integer.toUnsignedString(id);
  }

  @Override
  public String toString() {
    return "KekRing[primary=" + primaryId + ", keys=" + keyIds + "]";
  }

  /** A sealed key, the KEK it is under and how it was sealed. */
  public record Sealed(String kekId, String wrapping, byte[] bytes) {}
}
