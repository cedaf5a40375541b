-- wrk script for `bench/load-intake.sh`: POST /api/v1/cases with realistic complaints (one of
-- four narratives, each naming a person or a phone number, so masking has work to do).

local bodies = {
  '{"kind":"complaint","enterprise_name":"苏州姑苏示例健身管理有限公司","uscc":"91110000600037341L","industry":"R","region_code":"320508","narrative":"我于3月15日在人民路88号的健身房办了一张5000元的预付卡，上周健身房突然关门，老板电话15900001111一直关机。","amount":"5000","demand":"退还余额","name":"李秀英","mobile":"13812345678","address":"苏州市姑苏区人民路88号"}',
  '{"kind":"complaint","enterprise_name":"示例餐饮管理有限公司","industry":"H","region_code":"320508","narrative":"外卖里吃出了头发，商家态度很差，客服热线400-123-4567一直打不通，要求退款并赔偿。","demand":"退款并赔偿","name":"王建国","mobile":"13912345678","address":"苏州市吴中区东吴北路1号"}',
  '{"kind":"report","enterprise_name":"示例超市有限公司","industry":"F","region_code":"320508","narrative":"超市把过期的牛奶改了生产日期重新上架，我买到了，小票还在，我叫王建国，电话13912345678。"}',
  '{"kind":"consultation","enterprise_name":"示例直播电商有限公司","industry":"I","region_code":"320508","narrative":"直播间宣传全网最低价，结果比别家贵了两百元，商家拒绝退差价，这样合法吗？","name":"赵敏","mobile":"13700001234","address":"苏州市姑苏区干将路2号"}'
}
local n = 0

request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/cases", {["Content-Type"] = "application/json"}, bodies[(n % #bodies) + 1])
end

done = function(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'RESULT requests=%d failed=%d seconds=%.2f rate=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f\n',
    summary.requests, failed, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
