using System.Net;
using System.Net.Sockets;

namespace SkillForge.Testing;

/// <summary>
/// A loopback TCP relay in front of a real server, to take that server away from one host and give it back
/// (the network failing, not the server): <see cref="Cut"/> drops every connection and refuses new ones until
/// <see cref="Restore"/>.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(TcpClient Client, TcpClient Server)> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    private TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port to point a host at instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TcpProxy To(int targetPort) => new(targetPort);

    /// <summary>Drops every open connection; new ones are closed as soon as they are accepted.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_gate)
        {
            foreach (var (client, server) in _open)
            {
                client.Dispose();
                server.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_cut)
            {
                client.Dispose();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            lock (_gate)
            {
                _open.Add((client, server));
            }
            await Task.WhenAny(
                client.GetStream().CopyToAsync(server.GetStream(), _stopping.Token),
                server.GetStream().CopyToAsync(client.GetStream(), _stopping.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended (or was cut); both sides are closed below.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove((client, server));
            }
            client.Dispose();
            server.Dispose();
        }
    }
}
