package dev.engines.pii;

import dev.engines.core.scope.Caller;

/** Where the redaction policy and lists in force for a tenant/env come from. */
public interface PiiPolicySource {

  /** The policy and lists in force for {@code scope}. */
  Active active(Caller caller);

  /** A policy with the lists that go with it. */
  record Active(RedactionPolicy policy, PiiLists lists) {}
}
