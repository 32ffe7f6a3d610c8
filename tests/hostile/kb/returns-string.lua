return 'PT-0901'
