using System.Globalization;

namespace Kefu.Benchmarks.Appends;

/// <summary>
/// Options of the <c>appends</c> command: <c>--store sqlite|postgres|both</c>, <c>--appenders N</c>,
/// <c>--conversations N</c>, <c>--seconds N</c>, <c>--postgres CONNECTION-STRING</c> (a database to use
/// instead of a throwaway cluster; it must be empty).
/// </summary>
internal sealed record AppendRateSettings(IReadOnlyList<string> Stores, int Appenders, int Conversations, double Seconds, string? PostgresConnectionString)
{
    public static AppendRateSettings Parse(string[] args)
    {
        var settings = new AppendRateSettings(["sqlite", "postgres"], 512, 2000, 10, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            settings = args[i] switch
            {
                "--store" => settings with { Stores = value == "both" ? ["sqlite", "postgres"] : [value] },
                "--appenders" => settings with { Appenders = int.Parse(value, CultureInfo.InvariantCulture) },
                "--conversations" => settings with { Conversations = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--postgres" => settings with { PostgresConnectionString = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see AppendRateSettings."),
            };
        }
        return settings;
    }
}
