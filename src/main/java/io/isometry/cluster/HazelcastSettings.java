package io.isometry.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Timestamps;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.time.Instant;
import java.util.List;

/**
 * Hazelcast's configuration, made from the engine's {@code cluster.*} keys alone (no XML for an
 * operator to edit): Vert.x's own maps (from its default configuration), TCP-IP join with the
 * listed members and multicast off, one port, and the heartbeat that decides how soon a silent node
 * is dropped. The node's name and when it joined travel as member attributes, so every member
 * knows every other by name without asking.
 */
public final class HazelcastSettings {

  /** Member attribute: the engine's node name. */
  public static final String NODE_ATTRIBUTE = "isometry.node";
  /** Member attribute: when the node joined, ISO-8601 UTC. */
  public static final String JOINED_ATTRIBUTE = "isometry.joinedAt";

  private HazelcastSettings() {
  }

  public static Config of(EngineConfig.Cluster cluster, String node, Instant joinedAt) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setInstanceName("isometry-" + node);
    // The default waits 5 s before a join, for members that might still come: the list is explicit.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(seconds(cluster.heartbeatMs())));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(seconds(cluster.maxNoHeartbeatMs())));
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Binds and announces cluster.host, not whatever interface Hazelcast would pick.
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, node);
    config.getMemberAttributeConfig().setAttribute(JOINED_ATTRIBUTE, Timestamps.format(joinedAt));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().isEmpty()
        ? List.of(cluster.host() + ":" + cluster.port()) : cluster.members());
    return config;
  }

  /** Hazelcast counts heartbeats in whole seconds: a part of one is rounded up. */
  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }
}
