using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Coordinator;

internal static class MachineInfo
{
    public static JsonObject Describe()
    {
        string? cpu = null;
        long memKb = 0;
        string? openFilesHard = null;
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                break;
            }
        }

        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                memKb = long.Parse(line[9..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
                openFilesHard = line[14..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        }

        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = cpu,
            ["memoryGiB"] = Math.Round(memKb / 1024.0 / 1024.0, 1),
            ["ulimitHn"] = openFilesHard,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
        };
    }
}
