using System.Globalization;
using System.Text.Json;

namespace Kefu.Core.Routing;

/// <summary>
/// Opening hours in a time zone: intervals per weekday (local times, end exclusive) and holidays (local
/// dates, closed all day). Parsed from <c>{ "timeZone": "Asia/Shanghai", "weekly": { "mon": [["09:00","18:00"]] },
/// "holidays": ["2026-10-01"] }</c>; a day that is not listed is closed.
/// </summary>
public sealed class BusinessSchedule
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private readonly List<(TimeOnly From, TimeOnly To)>[] _weekly;
    private readonly HashSet<DateOnly> _holidays;

    private BusinessSchedule(TimeZoneInfo timeZone, List<(TimeOnly, TimeOnly)>[] weekly, HashSet<DateOnly> holidays)
    {
        TimeZone = timeZone;
        _weekly = weekly;
        _holidays = holidays;
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses a schedule; throws <see cref="FormatException"/> with a readable message when it is not valid.</summary>
    public static BusinessSchedule Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var zoneId = root.TryGetProperty("timeZone", out var z) && z.ValueKind == JsonValueKind.String ? z.GetString()! : "UTC";
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
            {
                throw new FormatException($"Unknown time zone '{zoneId}'.");
            }
            var weekly = new List<(TimeOnly, TimeOnly)>[7];
            for (var d = 0; d < 7; d++)
            {
                weekly[d] = [];
                if (root.TryGetProperty("weekly", out var w) && w.ValueKind == JsonValueKind.Object && w.TryGetProperty(DayNames[d], out var intervals))
                {
                    foreach (var interval in intervals.EnumerateArray())
                    {
                        var from = TimeOnly.ParseExact(interval[0].GetString()!, "HH:mm", CultureInfo.InvariantCulture);
                        var to = interval[1].GetString() == "24:00" ? TimeOnly.MaxValue : TimeOnly.ParseExact(interval[1].GetString()!, "HH:mm", CultureInfo.InvariantCulture);
                        if (to <= from)
                        {
                            throw new FormatException($"An interval on {DayNames[d]} ends before it starts.");
                        }
                        weekly[d].Add((from, to));
                    }
                }
            }
            var holidays = new HashSet<DateOnly>();
            if (root.TryGetProperty("holidays", out var h) && h.ValueKind == JsonValueKind.Array)
            {
                foreach (var day in h.EnumerateArray())
                {
                    holidays.Add(DateOnly.ParseExact(day.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
            }
            return new BusinessSchedule(zone, weekly, holidays);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IndexOutOfRangeException or ArgumentNullException)
        {
            throw new FormatException("A schedule is { timeZone, weekly: { mon: [[\"09:00\",\"18:00\"]], ... }, holidays: [\"yyyy-MM-dd\"] }.", ex);
        }
    }

    public bool IsOpen(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone);
        if (_holidays.Contains(DateOnly.FromDateTime(local.DateTime)))
        {
            return false;
        }
        var time = TimeOnly.FromDateTime(local.DateTime);
        foreach (var (from, to) in _weekly[(int)local.DayOfWeek])
        {
            if (time >= from && (time < to || to == TimeOnly.MaxValue))
            {
                return true;
            }
        }
        return false;
    }
}
