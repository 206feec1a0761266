package dev.engines.nexus;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.db.Sql;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The access/usage log: which external cards or Engines atoms and assets a caller used, and when.
 * Ids and timestamps only — cards live outside Engines, so their ids are recorded as given and
 * never resolved. Append-only.
 */
public final class UsageLog {

  /** The most items one call records. */
  public static final int MAX_ITEMS = 500;

  private static final Set<RefType> TYPES = EnumSet.of(RefType.CARD, RefType.ATOM, RefType.ASSET);
  private static final Pattern REF_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,200}$");

  private final JdbcClient jdbc;
  private final ScopedTransactions tx;
  private final EventRecorder events;
  private final Clock clock;
  private final NexusSlots slots;
  private final PurgeFence fence;

  /**
   * @param slots usage is a Nexus route: the caller's env needs its nexus slot
   */
  public UsageLog(
      JdbcClient jdbc,
      ScopedTransactions tx,
      EventRecorder events,
      Clock clock,
      NexusSlots slots,
      PurgeFence fence) {
    this.slots = Objects.requireNonNull(slots, "slots");
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * One used thing.
   *
   * @param refType {@code card}, {@code atom} or {@code asset}
   * @param refId its id (letters, digits and {@code _.:-}, at most 200)
   * @param usedAt when it was used; null means now
   */
  public record Item(String refType, String refId, Instant usedAt) {}

  /** The recorded batch. */
  public record Recorded(String usageId, int items, Instant recordedAt) {}

  /**
   * Validates and appends {@code items} under one usage id; each ref also goes on the request's
   * event.
   */
  public Recorded record(Caller caller, String requestId, List<Item> items) {
    slots.nexus(caller);
    if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
      throw EnginesException.validation("items must hold 1 to " + MAX_ITEMS + " entries.");
    }
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item == null) {
        errors.add(new FieldError("items[" + i + "]", "must be an object"));
        continue;
      }
      if (RefType.of(item.refType()).filter(TYPES::contains).isEmpty()) {
        errors.add(new FieldError("items[" + i + "].ref_type", "must be one of card, atom, asset"));
      }
      if (item.refId() == null || !REF_ID.matcher(item.refId()).matches()) {
        errors.add(
            new FieldError(
                "items[" + i + "].ref_id", "must be 1-200 letters, digits or _.:- characters"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("Some usage items are invalid.", errors);
    }
    Scope scope = caller.scope();
    Instant now = clock.instant();
    String usageId = Ids.random("us");
    return tx.write(
        caller,
        () -> {
          fence.requireOpen(scope);
          for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            jdbc.sql(
                    "INSERT INTO usage_log (tenant_id, env, usage_id, item, ref_type, ref_id, used_at, recorded_at, actor_id,"
                        + " request_id) VALUES (:t, :e, :id, :item, :type, :ref, :used, :now, :actor, :request)")
                .param("t", scope.tenantId())
                .param("e", scope.env().wire())
                .param("id", usageId)
                .param("item", i)
                .param("type", item.refType())
                .param("ref", item.refId())
                .param("used", Sql.ts(item.usedAt() == null ? now : item.usedAt()))
                .param("now", Sql.ts(now))
                .param("actor", caller.actorId())
                .param("request", requestId)
                .update();
            events.input(caller, RefType.of(item.refType()).orElseThrow(), item.refId());
          }
          events.output(caller, RefType.USAGE, usageId);
          return new Recorded(usageId, items.size(), now);
        });
  }
}
