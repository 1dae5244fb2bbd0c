// DynamoDB Local listens on every interface and has no option to change it: its proxy server
// builds a Jetty Server(port). This launcher builds the server the way the jar's own main does
// (ServerRunner.createServerFromCommandLineArgs, same arguments), then binds its connectors to
// 127.0.0.1 before starting, so only this machine can connect. Run in Java's source-file mode:
//   java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java -dbPath ... -port ... -sharedDb
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Connector connector : connectors) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    if (Boolean.getBoolean("otpvault.exitWithStdin")) exitWhenStdinEnds();
  }

  // The process that started us holds the other end of our stdin: when it is gone (even killed,
  // so it could not stop us), the pipe ends, and a JVM nobody will stop exits instead of lingering.
  private static void exitWhenStdinEnds() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is ever sent; only the end of the pipe matters.
        }
      } catch (java.io.IOException ignored) {
        // A broken pipe is an end too.
      }
      System.exit(0);
    }, "exit-with-stdin");
    watcher.setDaemon(true);
    watcher.start();
  }
}
