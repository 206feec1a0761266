package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code media.slices}: time slices of an audio or video artifact whose duration the caller
 * supplies (Engines does not decode media). Never reads the content. Slice {@code i} covers {@code
 * [i × (slice_ms − overlap_ms), that + slice_ms)}, the last one clipped to {@code duration_ms}; the
 * slice that reaches the end is the last, and a zero duration gives no slices. Atoms have empty
 * text and a span of {@code sourceStartMs}/{@code sourceEndMs}. Because the duration is a param it
 * is part of the derivation, so a corrected duration gives new atom ids.
 */
final class MediaSlicesAtomizer extends BaseAtomizer {

  /** A guard against a tiny slice over a long duration flooding the store. */
  static final long MAX_SLICES = 1_000_000;

  private static final long MAX_MS = 1_000_000_000_000L;

  MediaSlicesAtomizer() {
    super(
        "media.slices",
        "Fixed-length, optionally overlapping time slices of a media artifact of caller-given duration.",
        List.of(
            ParamSpec.integer(
                "duration_ms",
                null,
                0,
                MAX_MS,
                "Media duration in milliseconds, as the caller measured it."),
            ParamSpec.integer("slice_ms", null, 1, MAX_MS, "Slice length in milliseconds."),
            ParamSpec.integer(
                "overlap_ms",
                0L,
                0,
                MAX_MS,
                "Milliseconds each slice shares with the previous one; below slice_ms.")));
  }

  @Override
  void checkTogether(Map<String, Object> params) {
    long slice = longParam(params, "slice_ms");
    long overlap = longParam(params, "overlap_ms");
    if (overlap >= slice) {
      throw EnginesException.validation(
          "Param 'overlap_ms' must be smaller than param 'slice_ms'.");
    }
    if (sliceCount(longParam(params, "duration_ms"), slice, slice - overlap) > MAX_SLICES) {
      throw EnginesException.validation(
          "Params 'duration_ms', 'slice_ms' and 'overlap_ms' give more than "
              + MAX_SLICES
              + " slices.");
    }
  }

  static long sliceCount(long duration, long slice, long step) {
    if (duration == 0) {
      return 0;
    }
    if (duration <= slice) {
      return 1;
    }
    return (duration - slice + step - 1) / step + 1;
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) {
    long duration = longParam(params, "duration_ms");
    long slice = longParam(params, "slice_ms");
    long step = slice - longParam(params, "overlap_ms");
    long count = sliceCount(duration, slice, step);
    for (long i = 0; i < count; i++) {
      long start = i * step;
      emitter.emit("", Span.media(start, Math.min(start + slice, duration)));
    }
  }
}
