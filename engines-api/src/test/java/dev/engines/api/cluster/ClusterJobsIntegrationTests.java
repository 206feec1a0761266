package dev.engines.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.core.cluster.ClusterJobSettings;
import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.ids.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * Two application instances on one database: two Spring contexts, each with its own connections,
 * {@link ClusterJobs} and scheduler, firing the same job on the same schedule. Exactly one of them
 * runs each tick. (The suite's shared context migrated the database; these contexts only use it.)
 */
class ClusterJobsIntegrationTests extends IntegrationTest {

  /** What an instance's job records: which instance ran which tick. */
  record Probe(String instance, String job, Queue<String> ran) {

    void record() {
      // Ticks fire every 3 s at seconds divisible by 3; a tick is named by its 3-second slot.
      ran.add(Instant.now().getEpochSecond() / 3 + " " + instance);
    }
  }

  /**
   * One instance: its own data source, cluster lock component and scheduler, whose schedule ticks
   * the test's {@code job} (direct ticks in the other tests use other names, so the schedule never
   * holds their lock).
   */
  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class Instance {

    @Bean
    DataSource dataSource() {
      return new DriverManagerDataSource(
          IntegrationTest.DB_URL, "engines_app", "engines_app_local");
    }

    @Bean
    ClusterJobs clusterJobs(DataSource dataSource) {
      // held 2.5 s at least: an instance whose tick fires up to 2.5 s late (a loaded machine) still
      // finds it taken, and the lock is free again for the next tick 3 s on
      return new ClusterJobs(
          dataSource,
          new ClusterJobSettings(Duration.ofMillis(2500), Duration.ofMinutes(1)),
          Clock.systemUTC());
    }

    @Bean
    SchedulingConfigurer everyThreeSeconds(ClusterJobs cluster, Probe probe) {
      return registrar ->
          registrar.addCronTask(() -> cluster.tick(probe.job(), probe::record), "*/3 * * * * *");
    }
  }

  private final List<AnnotationConfigApplicationContext> instances = new ArrayList<>();
  private final Queue<String> ran = new ConcurrentLinkedQueue<>();
  private String job;

  @BeforeEach
  void job() {
    job = "test." + Ids.randomToken(12);
  }

  @AfterEach
  void stopInstances() {
    instances.forEach(AnnotationConfigApplicationContext::close);
  }

  private AnnotationConfigApplicationContext start(String name) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.registerBean(Probe.class, () -> new Probe(name, job, ran));
    context.register(Instance.class);
    context.refresh();
    instances.add(context);
    return context;
  }

  @Test
  void scheduledTicksWhenTwoInstancesShareTheDatabaseThenExactlyOneRunsEachTick() throws Exception {
    start("a");
    start("b");

    Thread.sleep(10_000);

    Map<String, List<String>> byTick = new TreeMap<>();
    for (String entry : ran) {
      String[] parts = entry.split(" ");
      byTick.computeIfAbsent(parts[0], t -> new ArrayList<>()).add(parts[1]);
    }
    assertThat(byTick).as("ticks in 10 s of a 3 s schedule").hasSizeGreaterThanOrEqualTo(3);
    assertThat(byTick.values())
        .as("instances that ran each tick")
        .allSatisfy(who -> assertThat(who).hasSize(1));
  }

  @Test
  void tickWhenBothInstancesFireAtTheSameInstantThenExactlyOneRunsIt() throws Exception {
    ClusterJobs a = start("a").getBean(ClusterJobs.class);
    ClusterJobs b = start("b").getBean(ClusterJobs.class);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String tick = job + "." + round;
        CyclicBarrier together = new CyclicBarrier(2);
        Future<Boolean> ranOnA =
            pool.submit(
                () -> {
                  together.await(5, TimeUnit.SECONDS);
                  return a.tick(tick, () -> {});
                });
        Future<Boolean> ranOnB =
            pool.submit(
                () -> {
                  together.await(5, TimeUnit.SECONDS);
                  return b.tick(tick, () -> {});
                });
        boolean onA = ranOnA.get(10, TimeUnit.SECONDS);
        boolean onB = ranOnB.get(10, TimeUnit.SECONDS);
        assertThat(onA ^ onB).as("round %d: a ran %s, b ran %s", round, onA, onB).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tickWhenTheOtherInstanceFinishedThisTickMomentsAgoThenSkipsIt() {
    ClusterJobs a = start("a").getBean(ClusterJobs.class);
    ClusterJobs b = start("b").getBean(ClusterJobs.class);
    String direct = job + ".direct";

    assertThat(a.tick(direct, () -> {})).isTrue();
    assertThat(b.tick(direct, () -> {}))
        .as("held 2.5 s after the tick started, though it ended")
        .isFalse();
  }

  @Test
  void tickWhenTheTaskThrowsThenTheLockIsReleasedAfterItsMinimumHold() throws Exception {
    ClusterJobs a = start("a").getBean(ClusterJobs.class);
    ClusterJobs b = start("b").getBean(ClusterJobs.class);
    String direct = job + ".direct";

    try {
      a.tick(
          direct,
          () -> {
            throw new IllegalStateException("boom");
          });
    } catch (IllegalStateException expected) {
      // the tick's failure is the caller's; the lock must not stay for lock-at-most-for
    }
    Thread.sleep(2_700);
    assertThat(b.tick(direct, () -> {})).isTrue();
  }
}
