package dev.engines.gates;

import java.util.Optional;

/**
 * Where the gates keep the admission of the request being served, so that the chain can give back
 * what it took when it refuses the request later (the application keeps it with the request).
 */
public interface CurrentAdmission {

  /** Keeps the admission of the request being served. */
  void hold(Admission admission);

  /** The admission of the request being served, once: it is no longer kept. Empty outside a request. */
  Optional<Admission> release();

  /** No request context: nothing is kept, nothing given back. */
  CurrentAdmission NONE = new CurrentAdmission() {
    @Override
    public void hold(Admission admission) {}

    @Override
    public Optional<Admission> release() {
      return Optional.empty();
    }
  };
}
