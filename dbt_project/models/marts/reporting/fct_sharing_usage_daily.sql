-- One row per local day (Asia/Ho_Chi_Minh), client application and dataset in the sharing API's
-- audit log: row pulls answered (GET .../datasets/<id>/rows, status below 400) and the rows they
-- returned, and refused requests (status 400 and above, any path). Dataset names are the API's
-- dataset ids (their titles live in the registry, sharing/datasets.py, not in the warehouse).
-- A refused request without a known client or dataset is kept under 'Không rõ ...'.
with

requests as (
    select * from {{ source('sharing_api', 'audit_log') }}
),

clients as (
    select * from {{ source('sharing_api', 'clients') }}
),

classified as (
    select
        requests.row_count,
        (requests.logged_at at time zone 'Asia/Ho_Chi_Minh')::date as used_on,
        coalesce(clients.application_name, requests.client_id, 'Không rõ ứng dụng') as client_name,
        coalesce(requests.dataset, 'Không rõ bộ dữ liệu') as dataset_name,
        requests.status < 400
        and requests.method = 'GET'
        and requests.path like '/api/v1/datasets/%/rows%' as is_pull,
        requests.status >= 400 as is_refusal
    from requests
    left join clients on requests.client_id = clients.client_id
),

final as (
    select
        used_on,
        client_name,
        dataset_name,
        count(*) filter (where is_pull) as pulls,
        coalesce(sum(row_count) filter (where is_pull), 0)::bigint as rows_returned,
        count(*) filter (where is_refusal) as refusals
    from classified
    where is_pull or is_refusal
    group by used_on, client_name, dataset_name
)

select * from final
