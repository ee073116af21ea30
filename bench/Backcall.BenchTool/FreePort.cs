using System.Net;
using System.Net.Sockets;

namespace Backcall.BenchTool;

/// <summary>
/// A loopback port free right now for both TCP and UDP, for a process that must be told its port in
/// advance (sipp, Kamailio, the webhook receiver whose URL is written into the database).
/// </summary>
internal static class FreePort
{
    public static int Run()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                Console.WriteLine(port);
                return 0;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }

        throw new InvalidOperationException("no free loopback port found");
    }
}
