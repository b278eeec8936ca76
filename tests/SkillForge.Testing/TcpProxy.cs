using System.Net;
using System.Net.Sockets;

namespace SkillForge.Testing;

/// <summary>
/// A loopback TCP relay in front of a real server, to take that server away from one host and give it back
/// (the network failing, not the server): <see cref="Cut"/> drops every connection and refuses new ones until
/// <see cref="Restore"/>; <see cref="DropOnceAt"/> drops one connection at the moment a given command goes through it.
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
    private byte[]? _dropPattern;
    private int _dropCountdown;
    private int _dropped;

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

    /// <summary>
    /// Drops the connection whose client sends <paramref name="pattern"/> for the <paramref name="occurrence"/>-th time
    /// from now, before that send reaches the server (a command lost with its connection); other connections, and new
    /// ones, pass. The pattern must arrive in one read, as a small command on loopback does.
    /// </summary>
    public void DropOnceAt(byte[] pattern, int occurrence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        Volatile.Write(ref _dropCountdown, occurrence);
        Volatile.Write(ref _dropPattern, pattern);
    }

    /// <summary>How many connections <see cref="DropOnceAt"/> has dropped.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

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
                ToServerAsync(client.GetStream(), server.GetStream()),
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

    /// <summary>The client's bytes to the server, until the end or the send <see cref="DropOnceAt"/> waits for.</summary>
    private async Task ToServerAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stopping.Token)) > 0)
        {
            if (Volatile.Read(ref _dropPattern) is { } pattern && buffer.AsSpan(0, read).IndexOf(pattern) >= 0
                && Interlocked.Decrement(ref _dropCountdown) == 0)
            {
                Volatile.Write(ref _dropPattern, null);
                Interlocked.Increment(ref _dropped);
                return; // the caller closes both sides
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
    }
}
