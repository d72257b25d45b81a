namespace Kefu.Core.Storage;

/// <summary>Business hours of teams and sites. A port of its own, so a store adapter can add it when it supports it.</summary>
public interface IBusinessHoursStore
{
    /// <summary>Stores (replaces) the business hours of a team or a site; a null schedule removes them.</summary>
    Task SaveBusinessHoursAsync(string tenantId, string scopeId, string? scheduleJson, CancellationToken cancellationToken);

    Task<IReadOnlyList<BusinessHours>> ListBusinessHoursAsync(string tenantId, CancellationToken cancellationToken);
}
