using System.Runtime.InteropServices;

namespace Backcall.Server.Tests.Infrastructure;

internal static partial class Posix
{
    private const int SIGTERM = 15;

    public static void Terminate(int pid) => _ = Kill(pid, SIGTERM);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
