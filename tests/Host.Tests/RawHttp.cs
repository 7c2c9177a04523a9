using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Scanflow.Host.Tests;

/// <summary>One HTTP/1.1 request with its request target sent exactly as written: <see cref="HttpClient"/> and
/// <see cref="Uri"/> remove dot segments and re-encode, which would hide what a hostile client can send.</summary>
internal static class RawHttp
{
    /// <summary>Sends <c>METHOD TARGET HTTP/1.1</c> to <paramref name="server"/>'s host and port; returns the status code, the
    /// header lines and the body as text.</summary>
    public static async Task<(int Status, string Headers, string Body)> SendAsync(Uri server, string method, string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? response : response[..split];
        var status = int.Parse(head.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? "" : response[(split + 4)..]);
    }
}
