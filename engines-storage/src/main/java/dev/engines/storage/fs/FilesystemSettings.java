package dev.engines.storage.fs;

import java.nio.file.Path;

/**
 * Settings of the filesystem adapter, meant for local development and single-node installs, not for
 * production: objects live on one machine's disk.
 *
 * @param root the directory that holds every object; created when missing. It must be on a
 *     filesystem with user extended attributes (ext4, xfs, btrfs, APFS, recent tmpfs), because each
 *     object's sha256 and content type travel with the file in its attributes.
 */
public record FilesystemSettings(Path root) {

  /**
   * Requires an absolute root and normalises it, so containment checks compare like with like.
   *
   * @throws IllegalArgumentException when the root is missing or relative
   */
  public FilesystemSettings {
    if (root == null || !root.isAbsolute()) {
      throw new IllegalArgumentException("filesystem storage root must be an absolute path");
    }
    root = root.normalize();
  }
}
