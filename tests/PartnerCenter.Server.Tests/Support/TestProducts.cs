namespace PartnerCenter.Server.Tests.Support;

/// <summary>Products the HTTP tests order, as the order request's product_infos carry them.</summary>
public static class TestProducts
{
    /// <summary>A yearly/monthly s6.small Linux VM in Singapore for <paramref name="months"/> months (7.15 a month).</summary>
    public static object Vm(int months) => new
    {
        cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1",
        period_type = 2, period_num = months, subscription_num = 1,
    };

    /// <summary>The same VM, pay-per-use.</summary>
    public static object PayPerUseVm => new
    {
        cloud_service_type = "hws.service.type.ec2", resource_type = "hws.resource.type.vm", resource_spec = "s6.small.1.linux", region = "ap-southeast-1",
        subscription_num = 1, charging_mode = 3,
    };
}
