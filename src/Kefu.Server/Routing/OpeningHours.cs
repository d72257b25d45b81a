using System.Collections.Concurrent;
using Kefu.Core.Routing;
using Kefu.Core.Storage;

namespace Kefu.Server.Routing;

/// <summary>
/// Whether a team (else its site) is within business hours now. A team's own hours win over its site's;
/// with none configured it is always open. Schedules are cached per tenant until an admin changes them.
/// </summary>
internal sealed class OpeningHours(IBusinessHoursStore directory, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Dictionary<string, BusinessSchedule>> _tenants = new(StringComparer.Ordinal);

    public async Task<bool> IsOpenAsync(string tenantId, string? teamId, string? siteId, CancellationToken cancellationToken)
    {
        if (!_tenants.TryGetValue(tenantId, out var schedules))
        {
            schedules = [];
            foreach (var hours in await directory.ListBusinessHoursAsync(tenantId, cancellationToken))
            {
                schedules[hours.ScopeId] = BusinessSchedule.Parse(hours.ScheduleJson);
            }
            _tenants[tenantId] = schedules;
        }
        var schedule = (teamId is not null ? schedules.GetValueOrDefault(teamId) : null) ?? (siteId is not null ? schedules.GetValueOrDefault(siteId) : null);
        return schedule?.IsOpen(time.GetUtcNow()) ?? true;
    }

    public void Invalidate(string tenantId) => _tenants.TryRemove(tenantId, out _);
}
