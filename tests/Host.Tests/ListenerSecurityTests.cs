using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scanflow.Host.Tests;

/// <summary>Issue 15, on the real service: beyond loopback the listener answers only requests that carry a token of
/// its token file, on every route, or it does not start; https with a configured certificate.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ListenerSecurityTests : IDisposable
{
    private static readonly string[] Routes = ["/metrics", "/healthz", "/readyz", "/report/"];

    private readonly string _directory = Directory.CreateTempSubdirectory("scanflow-security-").FullName;

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    private string TokenFile => Path.Combine(_directory, "token");

    public ListenerSecurityTests() => Directory.CreateDirectory(Drop);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Beyond_loopback_without_a_token_the_service_refuses_to_start_and_makes_nothing_15()
    {
        var result = ScanflowProcess.Run("run", "--drop", Drop, "--output", Output, "--metrics-url", "http://0.0.0.0:0/metrics");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "Scanflow:MetricsUrl = 'http://0.0.0.0:0/metrics' is reachable from other machines, and then metrics, health and the QA report would be open to anyone who reaches the port; set Scanflow:MetricsTokenFile (--metrics-token-file)",
            result.Errors,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public async Task Beyond_loopback_every_route_answers_401_without_the_token_or_with_a_wrong_one_and_200_with_it_15()
    {
        var token = WriteToken();
        using var service = new ServiceProcess(new Dictionary<string, string>(), "--drop", Drop, "--output", Output, "--metrics-url", "http://0.0.0.0:0/metrics", "--metrics-token-file", TokenFile);
        var bound = await service.MetricsUrlAsync();
        var server = new Uri($"http://127.0.0.1:{bound.Port}");
        await service.WaitForAsync("watching");
        using var http = new HttpClient();

        foreach (var route in Routes)
        {
            foreach (var authorization in new AuthenticationHeaderValue?[] { null, new("Bearer", token[..^1] + (token[^1] == 'a' ? 'b' : 'a')), new("Basic", token) })
            {
                using var refused = await SendAsync(http, new Uri(server, route), authorization);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
                Assert.DoesNotContain("scanflow_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var answered = await UntilAsync(() => SendAsync(http, new Uri(server, route), new("Bearer", token)), r => r.StatusCode == HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        Assert.DoesNotContain(token, service.Log, StringComparison.Ordinal);
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
    }

    [Fact]
    public async Task Allowed_explicitly_the_service_serves_beyond_loopback_without_a_token_and_warns_at_start_15()
    {
        using var service = new ServiceProcess(
            new Dictionary<string, string> { ["SCANFLOW__AllowUnauthenticated"] = "true" }, "--drop", Drop, "--output", Output, "--metrics-url", "http://0.0.0.0:0/metrics");
        var bound = await service.MetricsUrlAsync();
        using var http = new HttpClient();

        using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{bound.Port}/healthz"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("is reachable from other machines and asks for no token (Scanflow:AllowUnauthenticated = true)", service.Log, StringComparison.Ordinal);
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
    }

    [Fact]
    public async Task Over_https_with_a_configured_certificate_the_service_answers_with_the_token_and_never_in_plain_http_15()
    {
        var token = WriteToken();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=scanflow-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(_directory, "listener.crt");
        var keyFile = Path.Combine(_directory, "listener.key");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        using var service = new ServiceProcess(
            new Dictionary<string, string>(), "--drop", Drop, "--output", Output, "--metrics-url", "https://127.0.0.1:0/metrics",
            "--metrics-certificate-file", certificateFile, "--metrics-certificate-key-file", keyFile, "--metrics-token-file", TokenFile);
        var bound = await service.MetricsUrlAsync();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var https = new HttpClient(handler);

        using var metrics = await SendAsync(https, new Uri($"https://127.0.0.1:{bound.Port}/metrics"), new("Bearer", token));
        using var refused = await SendAsync(https, new Uri($"https://127.0.0.1:{bound.Port}/metrics"), null);
        using var plain = new HttpClient();

        Assert.Equal("https", bound.Scheme);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("scanflow_", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{bound.Port}/healthz")));
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>Asks again until the answer is <paramref name="done"/> (the report and readiness come a moment after the
    /// listener), for at most a minute; returns the last answer.</summary>
    private static async Task<HttpResponseMessage> UntilAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var response = await send();
            if (done(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    private string WriteToken()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(TokenFile, token + "\n");
        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return token;
    }
}
