package io.kafkadr.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The S3 store as it runs in a pod of EKS with IAM roles for service accounts (IRSA): no credentials,
 * but a role and a web identity token file (EKS sets AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE;
 * here the SDK's system properties of the same meaning, which it reads first). The default chain
 * exchanges the token at STS for the role's temporary credentials, and the store signs its requests
 * with them. STS and S3 are stand-ins on this machine that record what they are sent.
 */
class WebIdentityCredentialsTest {

	private static final List<String> PROPERTIES = List.of("aws.roleArn", "aws.webIdentityTokenFile", "aws.region",
			"aws.endpointUrlSts");

	private final List<String> stsRequests = new CopyOnWriteArrayList<>();

	private final List<HttpExchange> s3Requests = new CopyOnWriteArrayList<>();

	private HttpServer sts;

	private HttpServer s3;

	@BeforeEach
	void start() throws IOException {
		this.sts = server((exchange) -> {
			this.stsRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			answer(exchange, """
					<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
					  <AssumeRoleWithWebIdentityResult>
					    <Credentials>
					      <AccessKeyId>ASIAROLECREDENTIALS</AccessKeyId>
					      <SecretAccessKey>the-roles-secret-key</SecretAccessKey>
					      <SessionToken>the-roles-session-token</SessionToken>
					      <Expiration>2099-01-01T00:00:00Z</Expiration>
					    </Credentials>
					    <AssumedRoleUser>
					      <Arn>arn:aws:sts::111122223333:assumed-role/kafka-dr-backups/kafka-dr</Arn>
					      <AssumedRoleId>AROAEXAMPLE:kafka-dr</AssumedRoleId>
					    </AssumedRoleUser>
					  </AssumeRoleWithWebIdentityResult>
					  <ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata>
					</AssumeRoleWithWebIdentityResponse>
					""");
		});
		this.s3 = server((exchange) -> {
			this.s3Requests.add(exchange);
			answer(exchange, """
					<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
					  <Name>backups</Name><Prefix>cdc-pipeline/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>
					  <IsTruncated>false</IsTruncated>
					</ListBucketResult>
					""");
		});
	}

	@AfterEach
	void stop() {
		PROPERTIES.forEach(System::clearProperty);
		this.sts.stop(0);
		this.s3.stop(0);
	}

	@Test
	void theDefaultChainExchangesAWebIdentityTokenAtStsForTheRolesCredentials(@TempDir Path directory)
			throws IOException {
		// static credentials come first in the chain; a machine that has some would not reach the web identity
		assumeThat(System.getenv("AWS_ACCESS_KEY_ID")).as("AWS_ACCESS_KEY_ID in this test's environment").isNull();
		Path token = Files.writeString(directory.resolve("token"), "the-pods-web-identity-token");
		System.setProperty("aws.roleArn", "arn:aws:iam::111122223333:role/kafka-dr-backups");
		System.setProperty("aws.webIdentityTokenFile", token.toString());
		System.setProperty("aws.region", "eu-west-1");
		System.setProperty("aws.endpointUrlSts", "http://127.0.0.1:" + this.sts.getAddress().getPort());
		try (S3ObjectStore store = new S3ObjectStore(S3Location.parse("s3://backups/cdc-pipeline"),
				URI.create("http://127.0.0.1:" + this.s3.getAddress().getPort()), null, true)) {
			store.checkReadable();
		}
		assertThat(this.stsRequests).singleElement()
			.satisfies((request) -> assertThat(request).contains("Action=AssumeRoleWithWebIdentity",
					"RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fkafka-dr-backups",
					"WebIdentityToken=the-pods-web-identity-token"));
		assertThat(this.s3Requests).singleElement().satisfies((request) -> {
			assertThat(request.getRequestHeaders().getFirst("Authorization")).contains("Credential=ASIAROLECREDENTIALS/");
			assertThat(request.getRequestHeaders().getFirst("X-Amz-Security-Token")).isEqualTo("the-roles-session-token");
		});
	}

	private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", handler);
		server.start();
		return server;
	}

	private static void answer(HttpExchange exchange, String xml) throws IOException {
		byte[] body = xml.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "text/xml");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

}
