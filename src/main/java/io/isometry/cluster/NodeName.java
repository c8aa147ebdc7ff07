package io.isometry.cluster;

import io.isometry.config.EngineConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;

/**
 * A node's name: {@code node} from the configuration, else the host name, followed by the cluster
 * port when clustered (two nodes of one host then differ). It ends every process id a clustered node
 * makes and names its addresses, so it is kept to {@link EngineConfig#NODE_NAME}.
 */
public final class NodeName {

  private static final int MAX_LENGTH = 64;

  private NodeName() {
  }

  /**
   * Puts the node's name into {@code config} (its {@code node} key) unless it already has one.
   * Blocking: the host name may need a lookup.
   */
  public static String settle(JsonObject config) {
    EngineConfig parsed = EngineConfig.from(config);
    if (!parsed.node().isEmpty()) {
      return parsed.node();
    }
    String host = safe(hostName());
    String suffix = parsed.cluster().enabled() ? "-" + parsed.cluster().port() : "";
    String name = host.substring(0, Math.min(host.length(), MAX_LENGTH - suffix.length())) + suffix;
    config.put("node", name);
    return name;
  }

  /** The host name with every character a node name may not have replaced by {@code -}. */
  static String safe(String host) {
    StringBuilder name = new StringBuilder();
    for (char c : host.toCharArray()) {
      boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
      name.append(allowed ? c : '-');
    }
    if (name.length() == 0 || !Character.isLetterOrDigit(name.charAt(0))) {
      name.insert(0, "node");
    }
    return name.toString();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "local";
    }
  }
}
