using System.Runtime.InteropServices;

namespace Kefu.Server.Tests.Infrastructure;

internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
