package dev.engines.storage.fs;

import dev.engines.core.error.EnginesException;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.ObjectKeyPrefix;
import dev.engines.storage.PresignedUpload;
import dev.engines.storage.PutOptions;
import dev.engines.storage.RawStore;
import dev.engines.storage.StorageProblems;
import dev.engines.storage.StoredObject;
import dev.engines.storage.internal.ContentMeter;
import dev.engines.storage.internal.LazyListing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link RawStore} on a local directory. Objects live at {@code <root>/<key>}.
 *
 * <p>An upload streams into a private file under {@code <root>/.staging}, is flushed to disk, gets
 * its sha256 and content type as user extended attributes, and is then renamed onto its key with an
 * atomic move, which carries the attributes along: readers see the old object or the complete new
 * one, never a partial file, and metadata can never belong to other content. The staging directory
 * sits outside {@code tenants/}, so listings never see uploads in flight, and it must be on the
 * same filesystem as the keys (the atomic move fails loudly otherwise). Staging files older than a
 * day, left by a crash, are removed when a store opens. Presigned uploads are not supported.
 */
public final class FilesystemRawStore implements RawStore {

  static final String BACKEND = "filesystem";
  static final String STAGING_DIR = ".staging";
  static final Duration STALE_STAGING_AGE = Duration.ofDays(1);
  private static final String SHA256_ATTRIBUTE = "engines.sha256";
  private static final String CONTENT_TYPE_ATTRIBUTE = "engines.content-type";
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path root;
  private final Path staging;

  /**
   * Opens (and creates if needed) the store under {@code settings.root()}.
   *
   * @throws UncheckedIOException when the root cannot be created or lacks user extended attributes
   */
  public FilesystemRawStore(FilesystemSettings settings) {
    this.root = settings.root();
    this.staging = root.resolve(STAGING_DIR);
    try {
      Files.createDirectories(staging);
      requireUserAttributes();
      removeStaleUploads();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "filesystem storage root " + root + " is not usable: " + e.getMessage(), e);
    }
  }

  @Override
  public StoredObject put(ObjectKey key, InputStream content, PutOptions options) {
    Path target = resolve(key);
    ContentMeter meter = new ContentMeter(options);
    Path temp = null;
    boolean committed = false;
    try {
      temp = Files.createTempFile(staging, "upload-", ".part");
      String sha256;
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        do {
          n = meter.fill(content, buffer);
          ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        } while (n == buffer.length);
        sha256 = meter.finish();
        out.force(true);
      }
      UserDefinedFileAttributeView attributes =
          Files.getFileAttributeView(temp, UserDefinedFileAttributeView.class);
      attributes.write(SHA256_ATTRIBUTE, StandardCharsets.UTF_8.encode(sha256));
      attributes.write(
          CONTENT_TYPE_ATTRIBUTE, StandardCharsets.UTF_8.encode(options.contentType()));
      Files.createDirectories(target.getParent());
      // rename(2): replaces an existing object in one step, readers never see a gap or a mix.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
      BasicFileAttributes stored =
          Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new StoredObject(
          key,
          meter.size(),
          Optional.of(sha256),
          options.contentType(),
          Optional.empty(),
          stored.lastModifiedTime().toInstant());
    } catch (IOException e) {
      throw failure(e);
    } finally {
      if (!committed && temp != null) {
        discard(temp);
      }
    }
  }

  @Override
  public Optional<StoredObject> head(ObjectKey key) {
    Path path = resolve(key);
    try {
      BasicFileAttributes basic =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!basic.isRegularFile()) {
        return Optional.empty();
      }
      UserDefinedFileAttributeView attributes =
          Files.getFileAttributeView(
              path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      Optional<String> sha256 = readAttribute(attributes, SHA256_ATTRIBUTE);
      String contentType =
          readAttribute(attributes, CONTENT_TYPE_ATTRIBUTE).orElse(PutOptions.DEFAULT_CONTENT_TYPE);
      return Optional.of(
          new StoredObject(
              key,
              basic.size(),
              sha256,
              contentType,
              Optional.empty(),
              basic.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public InputStream open(ObjectKey key) {
    Path path = resolve(key);
    try {
      // NOFOLLOW_LINKS: a symbolic link planted inside the tree must not lead a read outside it.
      return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw StorageProblems.notFound();
    } catch (IOException e) {
      // head() does not report a link as an object either.
      throw Files.isSymbolicLink(path) ? StorageProblems.notFound() : failure(e);
    }
  }

  @Override
  public boolean delete(ObjectKey key) {
    try {
      return Files.deleteIfExists(resolve(key));
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public Stream<ObjectKey> list(ObjectKeyPrefix prefix) {
    Path directory = resolve(prefix.value());
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return Stream.empty();
    }
    Stream<Path> walk;
    try {
      walk = Files.walk(directory);
    } catch (IOException e) {
      throw failure(e);
    }
    Iterator<ObjectKey> keys =
        walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
            .map(this::keyName)
            .flatMap(name -> prefix.resolveListed(name).stream())
            .iterator();
    return LazyListing.stream(keys, this::listingFailure, walk::close);
  }

  @Override
  public PresignedUpload presignUpload(ObjectKey key, String contentType, long size, Duration ttl) {
    throw StorageProblems.presignUnsupported(BACKEND, "upload through the Engines API instead.");
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  private Path resolve(ObjectKey key) {
    return resolve(key.value());
  }

  /**
   * Maps a key or prefix onto the tree segment by segment. Keys are safe by construction; the
   * containment check is a second line of defence should that ever regress.
   */
  private Path resolve(String name) {
    Path path = root;
    try {
      for (String segment : name.split("/")) {
        path = path.resolve(segment);
      }
    } catch (InvalidPathException e) {
      throw EnginesException.badRequest(
          StorageProblems.INVALID_FILENAME, "Filename cannot be stored on this filesystem.");
    }
    if (!path.normalize().equals(path) || !path.startsWith(root) || path.startsWith(staging)) {
      throw new IllegalStateException("object key escaped the storage root");
    }
    return path;
  }

  private String keyName(Path path) {
    StringBuilder name = new StringBuilder();
    for (Path segment : root.relativize(path)) {
      if (!name.isEmpty()) {
        name.append('/');
      }
      name.append(segment);
    }
    return name.toString();
  }

  private static Optional<String> readAttribute(UserDefinedFileAttributeView view, String name)
      throws IOException {
    if (!view.list().contains(name)) {
      return Optional.empty();
    }
    ByteBuffer value = ByteBuffer.allocate(view.size(name));
    view.read(name, value);
    return Optional.of(StandardCharsets.UTF_8.decode(value.flip()).toString());
  }

  private void requireUserAttributes() throws IOException {
    Path probe = Files.createTempFile(staging, "probe-", ".tmp");
    try {
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
      if (view == null) {
        throw new IOException("user extended attributes are not supported here");
      }
      view.write(SHA256_ATTRIBUTE, StandardCharsets.UTF_8.encode("probe"));
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private void removeStaleUploads() throws IOException {
    FileTime cutoff = FileTime.from(Instant.now().minus(STALE_STAGING_AGE));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging)) {
      for (Path entry : entries) {
        if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  /** Best effort: a leftover is never listed, and the next store to open removes it once stale. */
  private static void discard(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // Nothing more to do here; see the method comment.
    }
  }

  private RuntimeException listingFailure(RuntimeException e) {
    return e instanceof UncheckedIOException io ? failure(io.getCause()) : e;
  }

  private static EnginesException failure(IOException e) {
    return e instanceof AccessDeniedException
        ? StorageProblems.misconfigured(BACKEND, e)
        : StorageProblems.unavailable(BACKEND, e);
  }
}
