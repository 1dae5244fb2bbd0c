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
  }
}
